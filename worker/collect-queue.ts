// The COLLECT_QUEUE consumer: each message is one shard of the minute's collection (worker/cron.ts), one
// shard per invocation (max_batch_size = 1 in wrangler.toml), so D1's per-invocation query limit bounds a
// shard, never the whole minute. Idempotent: a shard delivered twice stores nothing twice (candles are
// upserted, and a profile whose last closed minute is stored asks the exchange nothing).
import { COLLECT_RETRY_AFTER_MAX_SECONDS } from "./config";
import type { CollectMessage } from "./cron";
import { collectShard } from "./market/collect-shard";

/** How a shard ended: acked, or delivered again after `retryAfterSec` (a 429, a thrown error). */
export async function consumeCollect(batch: MessageBatch<CollectMessage>, env: Env) {
  for (const msg of batch.messages) {
    const { minute, ids, shard, shards } = msg.body;
    const label = `collect shard ${shard + 1}/${shards} of ${new Date(minute * 1000).toISOString()}`;
    const t0 = Date.now();
    try {
      const r = await collectShard(env, ids, minute);
      // A catch-up spent the shard's D1 budget: the profiles it did not start go on in a new invocation.
      if (r.deferred.length) await env.COLLECT_QUEUE.send({ minute, ids: r.deferred, shard, shards });
      const failed = Object.values(r.results).filter((v) => !v.startsWith("stored")).length;
      console.log(
        `${label}: ${ids.length} instruments, ${failed} failed, ${r.deferred.length} deferred, ${r.queries} D1 queries (${r.statements} statements), ${Date.now() - t0} ms (attempt ${msg.attempts})`,
      );
      if (r.retryAfterSec !== undefined && r.retryAfterSec <= COLLECT_RETRY_AFTER_MAX_SECONDS)
        msg.retry({ delaySeconds: Math.max(1, r.retryAfterSec) });
      else msg.ack();
    } catch (err) {
      // Outside any one profile (D1 unavailable, say): the whole shard again, the others untouched.
      console.error(`${label} failed (attempt ${msg.attempts}): ${err instanceof Error ? err.message : err}`);
      msg.retry();
    }
  }
}
