// What users see of an instrument: the list entry and its path parameter.
import { z } from "@hono/zod-openapi";
import { PROFILE_TYPES } from "../../core/instruments";

/** The one description of a market's price tick, for instruments and profiles alike. */
export const TickSize = z.number().positive().nullable().openapi({
  description:
    "The market's price tick from the exchange (ccxt's precision), which sets a price's decimals; null when unknown",
  example: 0.01,
});

export const Instrument = z
  .object({
    symbol: z.string(),
    name: z.string(),
    category: z.enum(PROFILE_TYPES),
    exchange: z.string(),
    tick_size: TickSize,
    price: z.number().nullable(),
    change_percent: z.number().nullable(),
    last_updated: z.string().nullable(),
    simulated: z
      .boolean()
      .openapi({ description: "true for a generated market (npm run demo), not a real one" }),
  })
  .openapi("Instrument");

export const InstrumentQuery = z.object({ category: z.enum(PROFILE_TYPES).optional() });

export const SymbolParam = z.object({
  symbol: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "symbol", in: "path" }, example: "BTCUSDT" }),
});
