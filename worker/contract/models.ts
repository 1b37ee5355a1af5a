// A trained model version as admins see it: what it was fitted on and how it scored out of sample.
import { z } from "@hono/zod-openapi";
import { IdText } from "../schemas";

export const TrainedOn = z
  .object({ timeframe: z.string(), from: z.number().int(), to: z.number().int() })
  .openapi("TrainedOn");

// A volatility model's QLIKE against the EWMA benchmark (core/models/volatility-score.ts).
const Qlike = {
  qlike: z.number().optional().openapi({ description: "Mean QLIKE (log h + r^2 / h, r in percent)" }),
  naive_qlike: z.number().optional().openapi({ description: "The same for the benchmark's variance" }),
  qlike_benchmark: z.string().optional().openapi({ description: '"ewma_0.94": RiskMetrics\' EWMA variance' }),
  qlike_dm_pvalue: z.number().nullable().optional().openapi({
    description: "One-sided Diebold-Mariano p-value of a lower QLIKE than the benchmark's",
  }),
  qlike_dm_statistic: z.number().nullable().optional(),
};

// What the trainer reports (core/models/rolling.ts), DESIGN.md "Rolling evaluation". Every field is
// optional so versions stored before the rolling evaluation still read; unknown fields pass through.
export const ModelFold = z.looseObject({
  test_from: z.number().int().openapi({ description: "Open of the block's first target hour" }),
  test_to: z.number().int(),
  trained_to: z.number().int().openapi({ description: "Open of the last hour the fold's model saw" }),
  n: z.number().int(),
  mae: z.number(),
  naive_mae: z.number(),
  skill: z.number().nullable(),
  directional_accuracy: z.number(),
  dm_pvalue: z.number().nullable(),
  band_z: z
    .number()
    .openapi({ description: "95% band multiplier from the earlier blocks (1.96 for the first)" }),
  coverage_95: z.number(),
  ...Qlike,
});

export const ModelMetrics = z
  .looseObject({
    timeframe: z.string().optional(),
    horizon: z.number().int().optional(),
    evaluation: z.string().optional().openapi({ description: '"rolling_origin"' }),
    test_from: z.number().int().optional(),
    test_to: z.number().int().optional(),
    n: z.number().int().optional().openapi({ description: "Pooled test targets of all folds" }),
    mae: z.number().optional(),
    naive_mae: z.number().optional().openapi({ description: "MAE of the random walk (the close stays)" }),
    skill: z.number().nullable().optional().openapi({ description: "1 - mae / naive_mae, pooled" }),
    directional_accuracy: z.number().optional(),
    folds: z.array(ModelFold).optional(),
    dm_pvalue: z.number().nullable().optional().openapi({
      description:
        "One-sided Diebold-Mariano p-value (absolute error, Newey-West variance) of beating the random walk",
    }),
    dm_statistic: z.number().nullable().optional(),
    coverage_95: z.number().nullable().optional().openapi({
      description: "Share of pooled targets (folds 2+) inside the 95% band calibrated on earlier folds",
    }),
    coverage_95_last: z.number().optional().openapi({ description: "The same on the last fold only" }),
    coverage_95_normal: z.number().optional().openapi({ description: "Coverage of a plain 1.96 sigma band" }),
    band_z: z.number().optional().openapi({ description: "95% band multiplier of the shipped model" }),
    ...Qlike,
    range_hours: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Hours of the volatility model's range" }),
    range_coverage: z.number().nullable().optional().openapi({
      description:
        "Share of origins (folds 2+) whose close range_hours later fell inside the 95% range calibrated on earlier folds",
    }),
    range_n: z.number().int().optional().openapi({ description: "Origins range_coverage counts" }),
    range_band_z: z.number().nullable().optional().openapi({
      description:
        "The range's multiplier of the model's range_hours sd, calibrated on every fold (split conformal)",
    }),
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
