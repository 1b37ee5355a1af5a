// Admission by the rate limiter, waited for only before work. A request of a route limited this way is
// always counted, but it waits for the limiter's verdict only where it is about to work: a storage read
// (a memo miss, see db/memo.ts), a Cache API read, a model run (each calls untilAdmitted()). A request
// answered wholly from this isolate's memory is counted in the background instead; when that count is
// refused, this isolate remembers the refusal for the limiter's period, so the key's next request is
// refused at once without asking. Under `wrangler dev` a limiter call is a Durable Object request
// (~3-4 ms, most of a warm forecast's time); at the edge the binding is a local counter.
import { AsyncLocalStorage } from "node:async_hooks";
import { RATE_LIMIT_PERIOD_SECONDS } from "./config";

interface Admission {
  /** asks the limiter: resolves when admitted, rejects with the refusal */
  ask: () => Promise<void>;
  /** the question, once asked */
  verdict?: Promise<void>;
  /** the verdict came back: admitted */
  admitted: boolean;
}

const current = new AsyncLocalStorage<Admission>();

function asked(a: Admission): Promise<void> {
  if (!a.verdict) {
    a.verdict = a.ask();
    a.verdict.then(
      () => {
        a.admitted = true;
      },
      () => {},
    );
  }
  return a.verdict;
}

/**
 * Resolves once the current request is admitted, or rejects with its 429; undefined when there is
 * nothing to wait for (admitted already, or a request that is not admitted this way).
 */
export function untilAdmitted(): Promise<void> | undefined {
  const a = current.getStore();
  if (!a || a.admitted) return undefined;
  return asked(a);
}

/**
 * Runs `next`, which asks the limiter (`ask`) where it is about to work; when it never did, the
 * question is asked after it, in `background` (a refusal is recorded by `ask`, see refusals below),
 * so that the answer is not held up by the limiter's work either.
 */
export async function admitBeforeWork(
  ask: () => Promise<void>,
  next: () => Promise<void>,
  background: (work: Promise<unknown>) => void,
) {
  const a: Admission = { ask, admitted: false };
  await current.run(a, next);
  if (!a.verdict) background(asked(a).catch(() => {}));
}

const MAX_REFUSALS = 10_000;
const refusedUntil = new Map<string, number>(); // limiter key -> end of the remembered refusal (ms)

/** Remembers that the limiter refused `key`, for its whole period (as Retry-After says). */
export function rememberRefusal(key: string, now = Date.now()) {
  refusedUntil.delete(key);
  refusedUntil.set(key, now + RATE_LIMIT_PERIOD_SECONDS * 1000);
  for (const [k, until] of refusedUntil) {
    if (refusedUntil.size <= MAX_REFUSALS && until > now) break;
    refusedUntil.delete(k);
  }
}

/** Whether this isolate saw the limiter refuse `key` within its period. */
export function refusedHere(key: string, now = Date.now()): boolean {
  const until = refusedUntil.get(key);
  if (until === undefined) return false;
  if (until > now) return true;
  refusedUntil.delete(key);
  return false;
}
