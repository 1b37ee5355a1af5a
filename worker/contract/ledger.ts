// The forecast ledger as users and verifiers see it: the track record (live scores, the signal's
// calibration and paper account, the chain head) and the entries themselves with their hashes and scores.
import { z } from "@hono/zod-openapi";
import {
  ConfidenceBasis,
  ForecastPoint,
  ReliabilityBin,
  refineRange,
  SIGNAL_KINDS,
  unixSeconds,
} from "./insights";

const HorizonRecord = z
  .object({
    horizon: z
      .number()
      .int()
      .openapi({ description: "Hours after the forecast's origin (1 = the next hour)" }),
    n: z.number().int(),
    mae: z.number(),
    rw_mae: z.number().openapi({ description: "The random walk's MAE on the same targets" }),
    skill: z.number().nullable().openapi({ description: "1 - mae / rw_mae" }),
    dm_pvalue: z.number().nullable().openapi({
      description: "One-sided Diebold-Mariano p-value of a smaller absolute error than the random walk's",
    }),
    coverage: z.number().openapi({ description: "Share of targets inside the recorded 95% band" }),
    winkler: z
      .number()
      .openapi({ description: "Mean interval (Winkler) score at alpha = 0.05, in price units" }),
    directional_accuracy: z.number().nullable(),
    qlike: z.number().optional(),
    ewma_qlike: z.number().optional(),
    qlike_dm_pvalue: z.number().nullable().optional(),
    range_coverage: z.number().optional(),
    range_n: z.number().int().optional(),
  })
  .openapi("HorizonRecord");

export const TrackRecord = z
  .object({
    symbol: z.string(),
    since: z.string().nullable().openapi({ description: "When the first entry was made" }),
    entries: z.number().int(),
    scored_through: z.number().int().nullable().openapi({
      description: "Open of the last target hour scored: every entry's hours up to it are counted",
    }),
    head: z
      .object({ seq: z.number().int(), hash: z.string() })
      .nullable()
      .openapi({ description: "The chain head: its hash commits to every entry before it" }),
    models: z.array(
      z.object({
        model_type: z.string(),
        versions: z.array(z.number().int()),
        entries: z.number().int(),
        next_hour: HorizonRecord.nullable(),
        horizons: z.array(HorizonRecord),
      }),
    ),
    signal: z.object({
      entries: z.number().int(),
      confidence: z
        .object({
          n: z.number().int(),
          hits: z.number().int(),
          brier: z.number(),
          brier_base_rate: z.number(),
          reliability: z.array(ReliabilityBin),
        })
        .nullable()
        .openapi({
          description: "Recorded confidences against the next close, each hour's base rate known before it",
        }),
      paper: z.object({
        from: z.number().int().nullable().openapi({ description: "Open of the first hour traded" }),
        to: z.number().int().nullable(),
        positions_opened: z.number().int(),
        long: z.boolean(),
        fees_bps: z.number(),
        total_return: z.number().nullable(),
        buy_and_hold_return: z.number().nullable(),
        equity: z.array(z.object({ time: z.number().int(), value: z.number(), buy_and_hold: z.number() })),
      }),
    }),
    differs_from_backtest: z.string(),
  })
  .openapi("TrackRecord");

export const AdminTrackRecord = TrackRecord.extend({
  calibration: ConfidenceBasis.nullable().openapi({
    description: "What the signal's confidence rests on: its fit and its check on held-out hours",
  }),
}).openapi("AdminTrackRecord");

const HorizonScore = z.object({
  horizon: z.number().int(),
  target: z.number().int(),
  actual: z.number(),
  abs_error: z.number(),
  rw_abs_error: z.number(),
  inside: z.boolean(),
  hit: z.boolean().nullable(),
  winkler: z.number(),
  qlike: z.number().optional(),
  ewma_qlike: z.number().optional(),
  range_inside: z.boolean().optional(),
});

export const LedgerEntry = z
  .object({
    seq: z.number().int(),
    symbol: z.string(),
    kind: z.enum(["forecast", "signal"]),
    made_at: z.string(),
    origin: z
      .number()
      .int()
      .openapi({ description: "Open of the closed hour the forecast was made at the close of" }),
    last_close: z.number(),
    model_type: z.string(),
    model_version: z.number().int().nullable(),
    artifact_sha256: z.string().nullable(),
    forecast: z.array(ForecastPoint),
    ewma_sigma: z.number().optional(),
    range: z.object({ hours: z.number().int(), lower: z.number(), upper: z.number() }).optional(),
    signal: z
      .object({
        signal: z.enum(SIGNAL_KINDS),
        confidence: z.number().nullable(),
        expected: z.number().nullable(),
        score: z.number().nullable().openapi({ description: "|expected| in next-hour standard deviations" }),
        voters: z.array(z.string()),
        models: z.string(),
      })
      .optional(),
    prev_hash: z.string(),
    hash: z.string(),
    scores: z
      .array(HorizonScore)
      .openapi({ description: "The horizons scored so far (derived, not hashed)" }),
    outcome: z
      .object({ hit: z.boolean() })
      .optional()
      .openapi({ description: "A signal's: whether the next hour's close moved the way its voters leaned" }),
  })
  .openapi("LedgerEntry");

export const Ledger = z
  .object({
    symbol: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    /** Set when the page is full: ask again with after_seq to continue. */
    next_after_seq: z.number().int().nullable(),
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    entries: z.array(LedgerEntry),
  })
  .openapi("Ledger");

/** The widest range one ledger request may ask for. */
export const LEDGER_MAX_SECONDS = 31 * 86_400;

export const LedgerQuery = z
  .object({
    from: unixSeconds("from").openapi({
      description: "Unix seconds: the first origin hour wanted; default: 7 days before `to`",
    }),
    to: unixSeconds("to").openapi({
      description: "Unix seconds: the last origin hour wanted, inclusive; default: now",
    }),
    after_seq: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: "Continue a full page after this seq" }),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .superRefine((q, ctx) => refineRange(ledgerRange(q), LEDGER_MAX_SECONDS, ctx));

/** The query's range with its defaults: to = now, from = 7 days before to. */
export function ledgerRange(q: { from?: number; to?: number }) {
  const to = q.to ?? Math.floor(Date.now() / 1000);
  return { from: q.from ?? to - 7 * 86_400, to };
}
