// First: tfjs must be on its CPU backend before any other module can touch it.
import "./models/tf-cpu";
import { createApp } from "./app";
import { consumeCollect } from "./collect-queue";
import { type CollectMessage, runScheduled } from "./cron";

export { BackfillRunner } from "./backfill-runner";
export { TrainerContainer } from "./fleet/trainer-container";
export { TrainerFleet } from "./fleet/trainer-fleet";
export { InstrumentFeed } from "./live/instrument-feed";
export { TicketBox } from "./live/ticket-box";
export { ProgressHub } from "./progress-hub";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.scheduledTime)),
  queue: (batch, env) => consumeCollect(batch, env),
} satisfies ExportedHandler<Env, CollectMessage>;
