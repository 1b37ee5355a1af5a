// Live instrument feed for users: the WebSocket ticket and the events an InstrumentFeed pushes.
import { z } from "@hono/zod-openapi";
import { LiveNotificationEvent } from "./alerts";
import { CandleSchema } from "./candles";
import { SymbolParam } from "./instruments";

export const LiveTicket = z.object({ ticket: z.string() }).openapi("LiveTicket");
export const LiveQuery = z.object({ ticket: z.string().min(1).max(200) });
export const LiveParams = SymbolParam;

/** A newly collected, closed 1m candle. */
export const LiveCandleEvent = z.object({
  type: z.literal("candle"),
  symbol: z.string(),
  candle: CandleSchema,
});

/** A model of the instrument changed: its forecasts (or the signal built from them) are new. */
export const LiveModelEvent = z.object({
  type: z.enum(["forecast", "signal"]),
  symbol: z.string(),
  generated_at: z.string(),
});

/** Sent once when a socket opens (proxies may hold the upgrade answer until the first frame). */
export const LiveConnectedEvent = z.object({ type: z.literal("connected"), symbol: z.string() });

export const LiveEvent = z
  .discriminatedUnion("type", [LiveCandleEvent, LiveModelEvent, LiveConnectedEvent, LiveNotificationEvent])
  .openapi("LiveEvent");
