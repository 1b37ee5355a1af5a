// Users' live sockets: the WebSocket ticket, the events an instrument's feed (InstrumentFeed) pushes,
// and those of the user's own channel (UserChannel): the user's notifications, whatever instrument.
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
  .discriminatedUnion("type", [LiveCandleEvent, LiveModelEvent, LiveConnectedEvent])
  .openapi("LiveEvent");

/** The user channel's greeting when a socket opens, and its answer to "ping". */
export const UserStatusEvent = z.object({ type: z.enum(["connected", "pong"]) });

export const UserEvent = z.union([UserStatusEvent, LiveNotificationEvent]).openapi("UserEvent");
