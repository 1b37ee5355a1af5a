// First: tfjs must be on its CPU backend before any other module can touch it.
import "./models/tf-cpu";
import { createApp } from "./app";
import { consumeCollect } from "./collect-queue";
import { type CollectMessage, runScheduled } from "./cron";
import { consumeModels, type ModelsMessage } from "./models-queue";
import { consumePush, type PushMessage } from "./push/push-queue";

export { BackfillRunner } from "./backfill-runner";
export { TrainerContainer } from "./fleet/trainer-container";
export { TrainerFleet } from "./fleet/trainer-fleet";
export { InstrumentLedger } from "./ledger/instrument-ledger";
export { InstrumentFeed } from "./live/instrument-feed";
export { SocketTicket } from "./live/socket-ticket";
export { UserChannel } from "./live/user-channel";
export { ProgressHub } from "./progress-hub";

const app = createApp();

type QueueMessage = CollectMessage | ModelsMessage | PushMessage;

/** Each queue's consumer, by the queue's name in wrangler.toml. */
const consumers: Record<string, (batch: MessageBatch<QueueMessage>, env: Env) => Promise<void>> = {
  "moneymoney-collect": (batch, env) => consumeCollect(batch as MessageBatch<CollectMessage>, env),
  "moneymoney-models": (batch, env) => consumeModels(batch as MessageBatch<ModelsMessage>, env),
  "moneymoney-push": (batch, env) => consumePush(batch as MessageBatch<PushMessage>, env),
};

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.scheduledTime)),
  queue: (batch, env) => {
    const consume = consumers[batch.queue];
    if (!consume) throw new Error(`no consumer for queue ${batch.queue}`);
    return consume(batch, env);
  },
} satisfies ExportedHandler<Env, QueueMessage>;
