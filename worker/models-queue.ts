// The MODELS_QUEUE consumer, for work derived from models off the requests and the collection: a model
// version became active (worker/models/activation.ts sends it from the trainer's completion request:
// afterActivation), or an hour closed for a shard's trained profiles (the collection shard sends it: the
// ledger's step, worker/ledger/tick.ts). One message per invocation (max_batch_size = 1 in wrangler.toml):
// each is up to a few seconds of CPU. Idempotent, so a redelivered message is harmless; a failed one is
// retried.
import { getDb } from "./db/client";
import { getProfile } from "./db/profiles";
import { countQueries } from "./db/query-counter";
import { ledgerTick, ledgerTicks } from "./ledger/tick";
import type { LedgerMessage } from "./market/collect-shard";
import type { ActivationMessage } from "./models/activation";
import { refreshBacktest } from "./models/backtest";

export type ModelsMessage = ActivationMessage | LedgerMessage;

const isLedger = (m: ModelsMessage): m is LedgerMessage => "kind" in m && m.kind === "ledger";

/** The bucket, counting the objects written through it (the ledger's step should write none). */
function countWrites(bucket: R2Bucket) {
  let writes = 0;
  const counted = new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "put" || prop === "createMultipartUpload") writes += 1;
        return value.apply(target, args);
      };
    },
  });
  return { bucket: counted, writes: () => writes };
}

/**
 * What follows a version becoming active, off the request: rebuilds the stored backtest of the
 * profile's active set, with the hourly signals the signal history reads, and records the set's
 * forecasts and signal at the last closed hour before anyone is served them. Idempotent: it works on
 * whatever set is active when it runs, so a message delivered again (or late, after a newer version)
 * does the same work again harmlessly; a profile deleted meanwhile has nothing left to derive.
 */
export async function afterActivation(env: Env, message: ActivationMessage): Promise<void> {
  const db = getDb(env.DB);
  const profile = await getProfile(db, message.profileId);
  if (!profile) return;
  await refreshBacktest(env.BUCKET, db, profile);
  await ledgerTick(env, db, profile);
}

/** One hour's ledger step for a shard's profiles, with what it asked of D1, the ledgers and R2. */
async function ledgerStep(env: Env, body: LedgerMessage) {
  const t0 = Date.now();
  const d1 = countQueries(env.DB);
  const r2 = countWrites(env.BUCKET);
  const counted = { ...env, DB: d1.d1, BUCKET: r2.bucket };
  const reports = await ledgerTicks(counted, getDb(d1.d1), body);
  const total = (k: "recorded" | "scored" | "ledgerCalls") => reports.reduce((a, r) => a + r[k], 0);
  console.log(
    `ledger of ${body.profileIds.length} profile(s): ${total("recorded")} entries recorded or found, ${total("scored")} scores, ` +
      `${d1.calls()} D1 queries (${d1.statements()} statements), ${total("ledgerCalls")} ledger calls, ${r2.writes()} R2 writes, ${Date.now() - t0} ms`,
  );
}

export async function consumeModels(batch: MessageBatch<ModelsMessage>, env: Env) {
  for (const msg of batch.messages) {
    const t0 = Date.now();
    try {
      const body = msg.body;
      if (isLedger(body)) await ledgerStep(env, body);
      else {
        await afterActivation(env, body);
        console.log(
          `after activation of model ${body.modelId} (profile ${body.profileId}): ${Date.now() - t0} ms (attempt ${msg.attempts})`,
        );
      }
      msg.ack();
    } catch (err) {
      console.error(
        `models queue message failed (attempt ${msg.attempts}): ${err instanceof Error ? err.message : err}`,
      );
      msg.retry();
    }
  }
}
