// The shape of a model version's out-of-sample metrics (DESIGN.md "Rolling evaluation"), shared by
// the trainer's upload, the admin models list and the user predictions. Every field is optional so
// versions stored before the rolling evaluation still read; unknown fields pass through.
import { z } from "@hono/zod-openapi";

const Fold = z.looseObject({
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
  qlike: z.number().optional(),
  naive_qlike: z.number().optional(),
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
    folds: z.array(Fold).optional(),
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
    qlike: z.number().optional(),
    naive_qlike: z.number().optional(),
  })
  .openapi("ModelMetrics");
