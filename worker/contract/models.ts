// A trained model version as admins see it: what it was fitted on and how it scored out of sample.
import { z } from "@hono/zod-openapi";
import { IdText } from "../schemas";

export const TrainedOn = z
  .object({ timeframe: z.string(), from: z.number().int(), to: z.number().int() })
  .openapi("TrainedOn");

// What the trainer reports (core/models/evaluate.ts); fields a model kind does not compute are absent.
export const ModelMetrics = z
  .looseObject({
    timeframe: z.string().optional(),
    horizon: z.number().optional(),
    test_from: z.number().optional(),
    test_to: z.number().optional(),
    n: z.number().optional(),
    mae: z.number().optional(),
    naive_mae: z.number().optional(),
    skill: z.number().optional(),
    directional_accuracy: z.number().nullish(),
    qlike: z.number().nullish(),
    naive_qlike: z.number().nullish(),
  })
  .openapi("ModelMetrics");

// As the database stores them (JSON columns of ml_models) and the handlers pass them on.
export type StoredTrainedOn = z.output<typeof TrainedOn>;
export type StoredMetrics = z.output<typeof ModelMetrics>;

export const Model = z
  .object({
    id: z.number().int(),
    profile_id: z.number().int(),
    symbol: z.string().nullable(),
    model_type: z.string(),
    version: z.number().int(),
    status: z.string(),
    active: z.boolean(),
    trained_at: z.date().or(z.string()).nullable(),
    trained_on: TrainedOn.nullable(),
    parameters: z.record(z.string(), z.unknown()).nullable(),
    metrics: ModelMetrics.nullable(),
    artifact_sha256: z.string().nullable(),
    artifact_bytes: z.number().int().nullable(),
  })
  .openapi("Model");

export const ModelsQuery = z.object({ profile_id: IdText.optional() });
