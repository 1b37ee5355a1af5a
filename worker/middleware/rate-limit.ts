// Request rate limits through the Workers Rate Limiting binding (counted at the edge, no storage of ours):
// sign-ups per client address, and WebSocket tickets and the heavy user routes per account and per
// address. The windows are the bindings' (wrangler.toml [[ratelimits]]); the binding does not say when
// a window ends, so Retry-After is the whole period, which is never too early.
import type { MiddlewareHandler } from "hono";
import { admitBeforeWork, refusedHere, rememberRefusal } from "../admission";
import type { AppEnv } from "../app-env";
import { RATE_LIMIT_PERIOD_SECONDS } from "../config";
import { ApiError } from "../errors";
import { clientAddress } from "./client-address";

/** What is limited; each scope counts apart, so heavy reads never use up an admin's tickets. */
export type LimitScope = "signup" | "ticket" | "heavy";

const WHAT: Record<LimitScope, string> = {
  signup: "sign-ups",
  ticket: "WebSocket tickets",
  heavy: "forecast and backtest requests",
};

function tooMany(scope: LimitScope, who: string) {
  return new ApiError(
    429,
    "rate_limited",
    `Too many ${WHAT[scope]} from this ${who}: try again in a minute`,
    { "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
  );
}

/**
 * Answers from memory an isolate sends one key (account or address) before the limiter has answered
 * for them: a burst gets at most this many past a limit already used up, then waits for verdicts.
 */
export const UNCONFIRMED_MAX = 8;
// key -> answers sent or under way whose verdict has not come back (plain counts, per isolate)
const unconfirmed = new Map<string, number>();

/**
 * How a limited request waits: "first" for the verdict before anything else; "before-work" only
 * where it is about to work (see worker/admission.ts), so an answer kept in memory is not held by the limiter.
 */
export type LimitWait = "first" | "before-work";

/**
 * Counts the request against the client address and, after an auth middleware, against the signed-in
 * user or admin; answers 429 with Retry-After when either is over its limit.
 */
export const rateLimit =
  (scope: LimitScope, wait: LimitWait = "first"): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const address = clientAddress(c);
    const byAddress = scope === "signup" ? c.env.RATE_LIMIT_SIGNUP : c.env.RATE_LIMIT_ADDRESS;
    const account = c.get("user")
      ? `user:${c.get("user").id}`
      : c.get("admin")
        ? `admin:${c.get("admin").id}`
        : null;
    const ipKey = `${scope}:ip:${address}`;
    const accountKey = account ? `${scope}:${account}` : null;
    if (wait === "before-work") {
      if (refusedHere(ipKey)) throw tooMany(scope, "address");
      if (accountKey && refusedHere(accountKey)) throw tooMany(scope, "account");
    }
    // Both counters are asked together (one wait, not two: each is a call to the limiter, ~4 ms under
    // `wrangler dev`); a request refused by one still counts against the other.
    const ask = () =>
      Promise.all([
        byAddress.limit({ key: ipKey }),
        accountKey ? c.env.RATE_LIMIT_ACCOUNT.limit({ key: accountKey }) : { success: true },
      ]).then(([ip, who]) => {
        if (!ip.success) {
          rememberRefusal(ipKey);
          throw tooMany(scope, "address");
        }
        if (!who.success && accountKey) {
          rememberRefusal(accountKey);
          throw tooMany(scope, "account");
        }
      });
    const keys = accountKey ? [ipKey, accountKey] : [ipKey];
    // A burst of warm answers would all be sent before the first verdict comes back: past
    // UNCONFIRMED_MAX answers awaiting theirs, a request of that key waits for its own first.
    if (wait === "first" || keys.some((k) => (unconfirmed.get(k) ?? 0) >= UNCONFIRMED_MAX)) {
      await ask();
      await next();
      return;
    }
    for (const k of keys) unconfirmed.set(k, (unconfirmed.get(k) ?? 0) + 1);
    let pending = true;
    let asked = false;
    const confirmed = () => {
      if (!pending) return;
      pending = false;
      for (const k of keys) {
        const n = (unconfirmed.get(k) ?? 1) - 1;
        if (n > 0) unconfirmed.set(k, n);
        else unconfirmed.delete(k);
      }
    };
    try {
      await admitBeforeWork(
        () => {
          asked = true;
          return ask().finally(confirmed);
        },
        next,
        (work) => c.executionCtx.waitUntil(work),
      );
    } finally {
      // A request that failed before asking is never asked about (nor counted).
      if (!asked) confirmed();
    }
  };
