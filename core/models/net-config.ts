// Named hyper-parameters of the two tfjs networks (gru_attention, cnn_pattern) and their training.
import { EVAL_HORIZON, INTERVAL_Z, MODEL_PERIOD_SECONDS, MODEL_TIMEFRAME } from "./model-config";

export type NetKind = "gru_attention" | "cnn_pattern";
export const NET_KINDS: readonly NetKind[] = ["gru_attention", "cnn_pattern"];

/** The nets share the statistical models' timeframe (1h), horizon (1) and 95% interval quantile. */
export const NET_TIMEFRAME = MODEL_TIMEFRAME;
export const NET_PERIOD_SECONDS = MODEL_PERIOD_SECONDS;
/** The nets predict the log return from the window's last close to the close NET_HORIZON periods later. */
export const NET_HORIZON = EVAL_HORIZON;
export { INTERVAL_Z };
/** Input window: the last 48 hourly candles (two days). */
export const NET_WINDOW = 48;
/** Seed for kernel initialisers and the epoch shuffles: same seed, same data => same weights. */
export const NET_SEED = 1337;

export interface GruConfig {
  /** GRU hidden units (the encoder returns its whole sequence of states). */
  units: number;
  /** Width of the additive (Bahdanau) attention scorer. */
  attentionUnits: number;
  /** Hidden units of the dense head. */
  denseUnits: number;
}

export interface CnnConfig {
  /** Filters of each 1-D convolution, in order; each is followed by max pooling of size `poolSize`. */
  filters: number[];
  kernelSize: number;
  poolSize: number;
  denseUnits: number;
}

export interface TrainConfig {
  batchSize: number;
  maxEpochs: number;
  /** Early stopping: epochs without a validation-loss improvement before training stops. */
  patience: number;
  /** Relative validation-loss decrease that counts as an improvement: smaller gains are noise on
   * ~1,000 validation hours and only cost epochs (the GRU kept gaining ~0.05% per epoch for 20 epochs). */
  minDelta: number;
  learningRate: number;
  /** Share of the (time-ordered) training windows kept for validation: the last ones. */
  validationFraction: number;
  /** Huber loss threshold in target standard deviations: squared error inside, absolute outside,
   * because hourly returns are heavy-tailed and a few crash hours would dominate a squared loss. */
  huberDelta: number;
}

export const GRU_CONFIG: GruConfig = { units: 16, attentionUnits: 8, denseUnits: 16 };

export const CNN_CONFIG: CnnConfig = { filters: [16, 16], kernelSize: 5, poolSize: 2, denseUnits: 16 };

export const TRAIN_CONFIG: TrainConfig = {
  // 256 rather than 128: the GRU step costs per kernel call more than per sample, so a doubled batch
  // trains an epoch ~1.5x faster; the higher learning rate keeps the progress per epoch.
  batchSize: 256,
  maxEpochs: 30,
  patience: 4,
  minDelta: 1e-3,
  learningRate: 2e-3,
  validationFraction: 0.15,
  huberDelta: 1,
};
