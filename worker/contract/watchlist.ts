// The watchlist: per trained instrument the user's star, the current signal and the last 24 h as a
// sparkline; prices and changes come with the instrument list.
import { z } from "@hono/zod-openapi";
import { SIGNAL_KINDS } from "./insights";

/** Hourly closes drawn as the sparkline: the last 24 hours. */
export const SPARKLINE_HOURS = 24;

export const WatchlistRow = z
  .object({
    symbol: z.string(),
    starred: z.boolean().openapi({ description: "The user starred it: listed first" }),
    signal: z.enum(SIGNAL_KINDS).nullable().openapi({
      description:
        "The signal of the last closed hour, as GET /api/instruments/{symbol}/signals serves it; null when it could not be computed",
    }),
    sparkline: z
      .array(z.object({ time: z.number().int(), close: z.number() }))
      .openapi({ description: `The hourly closes of the last ${SPARKLINE_HOURS} hours, oldest first` }),
  })
  .openapi("WatchlistRow");

export const Watchlist = z.object({ instruments: z.array(WatchlistRow) }).openapi("Watchlist");

export const StarAnswer = z.object({ symbol: z.string(), starred: z.boolean() }).openapi("Star");
