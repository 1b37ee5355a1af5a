// The MODELS_QUEUE consumer: each message says a model version became active (worker/models/activation.ts
// sends it from the trainer's completion request); afterActivation does the work derived from the new
// active set off that request. One message per invocation (max_batch_size = 1 in wrangler.toml): each is
// about a second of CPU. Idempotent, so a redelivered message is harmless; a failed one is retried.
import { type ActivationMessage, afterActivation } from "./models/activation";

export async function consumeActivations(batch: MessageBatch<ActivationMessage>, env: Env) {
  for (const msg of batch.messages) {
    const t0 = Date.now();
    try {
      await afterActivation(env, msg.body);
      console.log(
        `after activation of model ${msg.body.modelId} (profile ${msg.body.profileId}): ${Date.now() - t0} ms (attempt ${msg.attempts})`,
      );
      msg.ack();
    } catch (err) {
      console.error(
        `after activation failed (attempt ${msg.attempts}): ${err instanceof Error ? err.message : err}`,
      );
      msg.retry();
    }
  }
}
