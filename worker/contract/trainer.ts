// The trainer's side of the API: claim a job, report progress, read candles, upload, complete or fail.
import { z } from "@hono/zod-openapi";
import { JOB_STATUSES } from "../../core/jobs";
import { TRAINER_CANDLE_LIMIT } from "../config";
import { Job } from "./jobs";
import { Model, ModelMetrics, TrainedOn } from "./models";

// The trainer's identity is its token's subject; `worker_id`, when sent, must name the same trainer.
export const WorkerId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .optional()
  .openapi({ example: "trainer-laptop-1", description: "Optional; must equal the token's subject" });
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: "sha256 as 64 lower-case hex digits" });
export const TRAINER_TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1D"] as const;

export const ClaimBody = z.object({ worker_id: WorkerId });
export const Claimed = z.object({
  job: Job,
  profile: z.object({ id: z.number(), symbol: z.string(), exchange: z.string() }),
  lease_seconds: z.number(),
});

export const ProgressBody = z.object({
  worker_id: WorkerId,
  progress: z.number().min(0).max(1),
  message: z.string().max(500).optional(),
});
export const ProgressAnswer = z.object({ status: z.enum(JOB_STATUSES), lease_seconds: z.number() });

export const TrainerCandlesQuery = z.object({
  timeframe: z.enum(TRAINER_TIMEFRAMES).default("1h"),
  limit: z.coerce.number().int().min(1).max(TRAINER_CANDLE_LIMIT).default(10_000),
  end: z.coerce.number().int().min(0).optional(),
});

export const UploadQuery = z.object({ worker_id: WorkerId });
export const UploadHeaders = z.object({ "x-artifact-sha256": Sha256 });
export const Uploaded = z.object({ sha256: z.string(), bytes: z.number() });

const Hours = z.array(z.number().finite()).max(TRAINER_CANDLE_LIMIT);
export const Evaluation = z
  .object({
    times: z.array(z.number().int()).max(TRAINER_CANDLE_LIMIT),
    mean: Hours,
    sigma: Hours,
  })
  .refine((e) => e.mean.length === e.times.length && e.sigma.length === e.times.length, {
    message: "evaluation times, mean and sigma must have the same length",
  })
  .openapi({ description: "The rolling evaluation's one-step forecasts: origin hour, log return, sd" });

// The four numbers every model is compared by must be there; the rest is as the model kind reports.
const needed = { message: "metrics need numeric mae, naive_mae, skill and n" };
export const CompleteBody = z.object({
  worker_id: WorkerId,
  artifact_sha256: Sha256,
  trained_on: TrainedOn,
  parameters: z.record(z.string(), z.unknown()),
  evaluation: Evaluation.optional(),
  metrics: ModelMetrics.extend({
    mae: z.number(needed),
    naive_mae: z.number(needed),
    skill: z.number(needed),
    n: z.number(needed),
  }),
});
export const Completed = z.object({ model: Model });

export const FailBody = z.object({ worker_id: WorkerId, error: z.string().min(1).max(2000) });

export const ReleaseBody = z.object({ worker_id: WorkerId });

// A container instance's token, renewed by the instance while the fleet still runs it.
export const RenewedToken = z.object({
  token: z.string(),
  expires_at: z.string().openapi({ description: "ISO time after which the token is refused" }),
});
