// Wraps a credential check with per-account and per-client failure throttling.
import { THROTTLE } from "../config";
import type { Db } from "../db/client";
import { blockedFor, clearFailures, recordFailure } from "../db/throttle";
import { ApiError } from "../errors";

export interface GuardScope {
  scope: "user" | "admin";
  email: string;
  ip: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Runs `check` unless the account or the client is blocked. A null result counts as a failure and
 * answers 401; a blocked key answers 429 with Retry-After, even for the right password, so a guesser
 * learns nothing while blocked.
 */
export async function guardedCheck<T>(
  db: Db,
  who: GuardScope,
  check: () => Promise<T | null>,
  failure = () => new ApiError(401, "invalid_credentials", "Wrong email or password"),
): Promise<T> {
  const account = `acct:${who.scope}:${who.email}`;
  const client = `ip:${who.ip}`;
  const wait = await blockedFor(db, [account, client], nowSeconds());
  if (wait > 0) {
    throw new ApiError(429, "too_many_attempts", `Too many failed attempts: try again in ${wait} s`, {
      "Retry-After": String(wait),
    });
  }
  const result = await check();
  if (result === null) {
    const now = nowSeconds();
    await recordFailure(db, account, THROTTLE.accountFailures, now);
    await recordFailure(db, client, THROTTLE.clientFailures, now);
    throw failure();
  }
  await clearFailures(db, account);
  return result;
}
