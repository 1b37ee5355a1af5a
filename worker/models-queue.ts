// The MODELS_QUEUE consumer, for work derived from models off the requests and the collection: a model
// version became active (worker/models/activation.ts sends it from the trainer's completion request:
// afterActivation), or an hour closed for a shard's trained profiles (the collection shard sends it: the
// ledger's step, worker/ledger/tick.ts). One message per invocation (max_batch_size = 1 in wrangler.toml):
// each is up to a few seconds of CPU. Idempotent, so a redelivered message is harmless; a failed one is
// retried.
import { getDb } from "./db/client";
import { type LedgerMessage, ledgerTicks } from "./ledger/tick";
import { type ActivationMessage, afterActivation } from "./models/activation";

export type ModelsMessage = ActivationMessage | LedgerMessage;

const isLedger = (m: ModelsMessage): m is LedgerMessage => "kind" in m && m.kind === "ledger";

export async function consumeModels(batch: MessageBatch<ModelsMessage>, env: Env) {
  for (const msg of batch.messages) {
    const t0 = Date.now();
    try {
      const body = msg.body;
      if (isLedger(body)) {
        const reports = await ledgerTicks(env, getDb(env.DB), body);
        const recorded = reports.reduce((a, r) => a + r.recorded, 0);
        const scored = reports.reduce((a, r) => a + r.scored, 0);
        console.log(
          `ledger of ${body.profileIds.length} profile(s): ${recorded} entries recorded or found, ${scored} scores, ${Date.now() - t0} ms`,
        );
      } else {
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
