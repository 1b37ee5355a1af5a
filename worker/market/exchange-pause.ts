// A pause an exchange asked for (a 429's Retry-After, a 418 ban), shared by every shard and the cron
// through app_state (`exchange.pause.ID`): Workers' outbound IPs are shared, so once one shard is told to
// back off, the others stop asking too instead of turning a 429 into a 418 ban.
import { like } from "drizzle-orm";
import type { Db } from "../db/client";
import { appState } from "../db/schema";
import { writeState } from "../db/state";
import { type ExchangeError, isSupportedExchange } from "./exchange";

const PREFIX = "exchange.pause.";
// A 418 without Retry-After: Binance bans for 2 minutes to 3 days; ask again after this long.
const BAN_DEFAULT_SECONDS = 120;
const RATE_LIMIT_DEFAULT_SECONDS = 10;

export interface ExchangePause {
  /** Unix second until which nobody asks the exchange. */
  until: number;
  kind: "rate_limited" | "banned";
  reason: string;
}

export type Pauses = Map<string, ExchangePause>;

/** Every pause still running at `nowSec`, by exchange id (one query). */
export async function readPauses(db: Db, nowSec: number): Promise<Pauses> {
  const rows = await db
    .select()
    .from(appState)
    .where(like(appState.key, `${PREFIX}%`));
  const out: Pauses = new Map();
  for (const r of rows) {
    const p = JSON.parse(r.value) as ExchangePause;
    if (p.until > nowSec) out.set(r.key.slice(PREFIX.length), p);
  }
  return out;
}

/** Whether an error asks everybody to stop asking for a while (429, 418). */
export const pausesExchange = (e: ExchangeError) => e.kind === "rate_limited" || e.kind === "banned";

/** Records the pause an error asks for; returns it. */
export async function pauseExchange(db: Db, exchangeId: string, e: ExchangeError, nowSec: number) {
  const seconds = e.retryAfterSec ?? (e.kind === "banned" ? BAN_DEFAULT_SECONDS : RATE_LIMIT_DEFAULT_SECONDS);
  const pause: ExchangePause = {
    until: nowSec + Math.max(1, seconds),
    kind: e.kind === "banned" ? "banned" : "rate_limited",
    reason: e.message,
  };
  await writeState(db, `${PREFIX}${exchangeId}`, pause);
  return pause;
}

export const pausedMessage = (exchangeId: string, p: ExchangePause) =>
  `not asked: ${exchangeId} asked to pause until ${new Date(p.until * 1000).toISOString()} (${p.reason})`;

/**
 * Why a profile is not asked its exchange now, or null: the exchange is not bundled in this Worker, or
 * it asked everybody to pause (`pause`). `result` is the collection's report line, `error` what the
 * profile's collection state shows.
 */
export function notAsked(exchangeId: string, pause: ExchangePause | undefined) {
  if (!isSupportedExchange(exchangeId)) {
    return {
      result: `skipped: exchange ${exchangeId} is not bundled`,
      error: `exchange ${exchangeId} is not bundled in this Worker: nothing is collected`,
    };
  }
  if (!pause) return null;
  const message = pausedMessage(exchangeId, pause);
  return { result: message, error: message };
}
