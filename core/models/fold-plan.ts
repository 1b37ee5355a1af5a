// Where the rolling evaluation cuts a training window into test blocks, and so how many candles a
// training job needs: pure arithmetic on the constants, shared by the trainer, the Worker's 422 and the
// admin panel.
import {
  EVAL_BLOCKS,
  EVAL_FRACTION,
  MIN_BLOCK_CANDLES,
  MIN_TRAIN_CANDLES,
  MODEL_TIMEFRAME,
} from "./model-config";

/** A test block: target indices [start, end); the fold's model is fitted on candles[0..start-1]. */
export interface Fold {
  start: number;
  end: number;
}

/** `folds` consecutive equal test blocks over the last EVAL_FRACTION of `n` candles. */
export function foldPlan(n: number, folds: number): Fold[] {
  if (!Number.isInteger(folds) || folds < 1 || EVAL_BLOCKS % folds !== 0)
    throw new Error(`${folds} folds do not divide the ${EVAL_BLOCKS} evaluation blocks`);
  const spanStart = Math.round(n * (1 - EVAL_FRACTION));
  const edge = (b: number) => spanStart + Math.round((b * (n - spanStart)) / EVAL_BLOCKS);
  const step = EVAL_BLOCKS / folds;
  const plan = Array.from({ length: folds }, (_, f) => ({
    start: edge(f * step),
    end: edge((f + 1) * step),
  }));
  if (spanStart < MIN_TRAIN_CANDLES || plan.some((f) => f.end - f.start < MIN_BLOCK_CANDLES)) {
    throw new Error(`too few ${MODEL_TIMEFRAME} candles for a rolling evaluation (${n}); collect more days`);
  }
  return plan;
}

/** Whether `length` candles are enough for every kind's rolling evaluation (the finest plan). */
export function enoughToTrain(length: number): boolean {
  try {
    foldPlan(length, EVAL_BLOCKS);
    return true;
  } catch {
    return false;
  }
}

/** The fewest MODEL_TIMEFRAME candles a training job needs. */
export function minTrainingCandles(): number {
  let n = MIN_TRAIN_CANDLES;
  while (!enoughToTrain(n)) n++;
  return n;
}
