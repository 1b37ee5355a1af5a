// Wraps a credential check with failure throttling per (account, client), per client and per account.
import { THROTTLE } from "../config";
import type { Db } from "../db/client";
import { blockedFor, clearFailures, isKnown, recordFailure, rememberClient } from "../db/throttle";
import { ApiError } from "../errors";

export interface GuardScope {
  /** "user"/"admin" for sign-in; "user-reauth" for re-entering the password behind a token. */
  scope: "user" | "admin" | "user-reauth";
  email: string;
  ip: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Runs `check` unless this client is blocked for this account, this client is blocked everywhere, or
 * (for clients that never signed in to the account) the account is being slowed. A null result
 * counts as a failure against all three and answers `failure()`; a blocked key answers 429 with
 * Retry-After, even for the right password, so a guesser learns nothing while blocked. Failures from
 * other clients never block a client that has signed in to the account before: an attacker cannot
 * lock the owner out (ASVS 5.0 6.3.1).
 */
export async function guardedCheck<T>(
  db: Db,
  who: GuardScope,
  check: () => Promise<T | null>,
  failure = () => new ApiError(401, "invalid_credentials", "Wrong email or password"),
): Promise<T> {
  const account = `acct:${who.scope}:${who.email}`;
  const pair = `pair:${who.scope}:${who.email}:${who.ip}`;
  const known = `known:${who.scope}:${who.email}:${who.ip}`;
  const client = `ip:${who.ip}`;
  const start = nowSeconds();
  const keys = (await isKnown(db, known, start)) ? [pair, client] : [pair, client, account];
  const wait = await blockedFor(db, keys, start);
  if (wait > 0) {
    throw new ApiError(429, "too_many_attempts", `Too many failed attempts: try again in ${wait} s`, {
      "Retry-After": String(wait),
    });
  }
  const result = await check();
  const now = nowSeconds();
  if (result === null) {
    await recordFailure(db, pair, THROTTLE.pair, now);
    await recordFailure(db, client, THROTTLE.client, now);
    await recordFailure(db, account, THROTTLE.account, now);
    throw failure();
  }
  await clearFailures(db, pair);
  await rememberClient(db, known, now);
  return result;
}
