// Wraps a credential check with failure throttling per (account, client) and per client, tightened
// while an account is under attack; see README "Sign-in throttling".
import { THROTTLE } from "../config";
import type { Db } from "../db/client";
import {
  blockedFor,
  clearFailures,
  counted,
  giveBack,
  isKnown,
  rememberClient,
  takeAttempt,
} from "../db/throttle";
import { ApiError } from "../errors";

export interface GuardScope {
  /** "user"/"admin" for sign-in; "user-reauth" for re-entering the password behind a token. */
  scope: "user" | "admin" | "user-reauth";
  email: string;
  ip: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Counts the account's tries by unknown clients (never blocks: takeAttempt's limit is never reached). */
const ACCOUNT_COUNTER = { failures: 2 ** 31, firstBlockSeconds: 0, maxBlockSeconds: 0 };

/**
 * Runs `check` unless this client is blocked for this account or blocked everywhere. Each attempt is
 * counted against both keys BEFORE `check` runs, atomically (takeAttempt), so concurrent guesses
 * cannot all be checked; a right password gives its attempt back. A null result answers `failure()`;
 * a blocked key answers 429 with Retry-After, even for the right password, so a guesser learns
 * nothing while blocked. While an account is under attack (THROTTLE.account) each client that never
 * signed in to it gets one try per block; a client that has not failed at it is always checked, so
 * no number of guesses from elsewhere keeps the owner out (ASVS 5.0 6.3.1).
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
  const stranger = !(await isKnown(db, known, start));
  const attacked = stranger && (await counted(db, account, THROTTLE.account.attempts, start));
  const pairLimit = attacked ? { ...THROTTLE.pair, failures: THROTTLE.account.pairFailures } : THROTTLE.pair;
  const [pairTaken, clientTaken] = await Promise.all([
    takeAttempt(db, pair, pairLimit, start),
    takeAttempt(db, client, THROTTLE.client, start),
    stranger ? takeAttempt(db, account, ACCOUNT_COUNTER, start) : true,
  ]);
  if (!pairTaken || !clientTaken) {
    const wait = Math.max(1, await blockedFor(db, [pair, client], start));
    throw new ApiError(429, "too_many_attempts", `Too many failed attempts: try again in ${wait} s`, {
      "Retry-After": String(wait),
    });
  }
  const result = await check();
  if (result === null) throw failure();
  await Promise.all([
    clearFailures(db, pair),
    giveBack(db, client, THROTTLE.client),
    stranger ? giveBack(db, account, ACCOUNT_COUNTER) : undefined,
    rememberClient(db, known, nowSeconds()),
  ]);
  return result;
}
