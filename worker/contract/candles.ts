// The chart-data query and answer shared by the user and admin candle routes.
import { z } from "@hono/zod-openapi";
import { TIMEFRAMES } from "../../core/candles/timeframes";
import type { Candle } from "../../core/candles/types";
import { CHART_LIMIT } from "../config";

// Unix seconds up to 2100: a bigger number is almost surely milliseconds, which we refuse clearly.
const MAX_END = 4_102_444_800;

export const TimeframeParam = z
  .enum(TIMEFRAMES)
  .openapi({ param: { name: "timeframe", in: "path" }, example: "1h" });

export const CandleQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(CHART_LIMIT.min)
    .max(CHART_LIMIT.max, { message: `limit must be at most ${CHART_LIMIT.max}` })
    .default(CHART_LIMIT.default)
    .openapi({ example: 100 }),
  end: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_END, { message: "end is Unix seconds (not milliseconds)" })
    .optional()
    .openapi({ example: 1719792000 }),
});

export const CandleSchema = z
  .object({
    time: z.number().int(),
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    volume: z.number(),
  })
  .openapi("Candle") satisfies z.ZodType<Candle>; // the same bar as core/candles/types.ts

export const CandlesAnswer = z
  .object({ symbol: z.string(), timeframe: z.enum(TIMEFRAMES), candles: z.array(CandleSchema) })
  .openapi("Candles");
