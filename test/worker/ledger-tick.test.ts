// When the ledger records: the collection shard asks for a ledger step exactly when it stored the last
// minute of an hour of a trained instrument, and the MODELS_QUEUE consumer records the active models'
// forecasts at that hour (once, however often the message comes), as it does right after a version
// becomes active.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { closesHour } from "../../core/ledger/hours";
import { getDb } from "../../worker/db/client";
import { activeModels } from "../../worker/db/models";
import worker from "../../worker/index";
import { instrumentLedger } from "../../worker/ledger/instrument-ledger";
import type { LedgerMessage } from "../../worker/market/collect-shard";
import { collectShard } from "../../worker/market/collect-shard";
import type { ModelsMessage } from "../../worker/models-queue";
import { insertProfile } from "./helpers";
import { ARIMA, arrangeInstrument, register, series } from "./insights-fixtures";

const HOUR = 3600;
const replayNow = inject("replayNow");

async function deliver(body: ModelsMessage) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ModelsMessage>("moneymoney-models", [
    { id, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { id, result: await getQueueResult(batch, ctx) };
}

describe("closesHour", () => {
  it("is true when the newest minute moves into a later closed hour", () => {
    const h = 1_800_000_000 - (1_800_000_000 % HOUR);
    expect(closesHour(h + 58 * 60, h + 59 * 60)).toBe(true); // the hour's last minute
    expect(closesHour(h + 30 * 60, h + HOUR + 60)).toBe(true); // past it (its last minute missing)
    expect(closesHour(h + 59 * 60, h + HOUR + 60)).toBe(false); // already closed
    expect(closesHour(h + 10 * 60, h + 20 * 60)).toBe(false);
    expect(closesHour(null, h + 20 * 60)).toBe(true); // nothing stored before
    expect(closesHour(h, undefined)).toBe(false); // nothing stored now
  });
});

describe("the collection shard", () => {
  it("asks for the ledger's step exactly when it stores an hour's last minute of a trained instrument", async () => {
    const id = await insertProfile("BTCUSDT");
    const untrained = await insertProfile("SOLUSDT");
    await env.DB.prepare("update trading_profiles set models_trained = 1 where id = ?").bind(id).run();
    const sent: unknown[] = [];
    const spied = {
      ...env,
      MODELS_QUEUE: { send: async (m: unknown) => void sent.push(m) },
    } as unknown as Env;
    // Two hours before the replay's present: everything up to then has been recorded.
    const t0 = Math.floor(replayNow / 1000 / HOUR) * HOUR - 2 * HOUR;
    await collectShard(spied, [id, untrained], t0 + 30 * 60 + 30); // first minutes: nothing stored before
    expect(sent).toEqual([{ kind: "ledger", profileIds: [id] }]);
    await collectShard(spied, [id, untrained], t0 + 40 * 60 + 30); // minutes inside the hour
    expect(sent).toHaveLength(1);
    await collectShard(spied, [id, untrained], t0 + HOUR + 30); // the hour's last minute
    expect(sent).toEqual([
      { kind: "ledger", profileIds: [id] },
      { kind: "ledger", profileIds: [id] },
    ]);
    await collectShard(spied, [id, untrained], t0 + HOUR + 90); // the next hour's first minute
    expect(sent).toHaveLength(2);
  });
});

describe("the models queue's ledger step", () => {
  const { all, NOW } = series();
  let profile: { id: number; symbol: string };
  const entries = () => instrumentLedger(env, "INSUSDT").entries(0, NOW, 0);

  beforeAll(async () => {
    ({ profile } = await arrangeInstrument(all, NOW));
  }, 120_000);

  it("records the active models' forecasts and the signal at the last closed hour, once", async () => {
    const message: LedgerMessage = { kind: "ledger", profileIds: [profile.id, 999_999] };
    const first = await deliver(message);
    expect(first.result.explicitAcks).toEqual([first.id]);
    const recorded = await entries();
    expect(recorded.map((e) => e.model_type).sort()).toEqual(["arima", "cnn_pattern", "garch", "signal"]);
    expect(new Set(recorded.map((e) => e.origin))).toEqual(new Set([all[all.length - 1].time - 59 * 60]));
    await deliver(message);
    expect(await entries()).toEqual(recorded);
  });

  it("records a new version's forecasts as soon as it becomes active", async () => {
    await register(
      profile,
      "arima",
      new TextEncoder().encode(JSON.stringify({ ...ARIMA, const: 0.002 })),
      0.03,
      0.02,
    );
    const rows = await activeModels(getDb(env.DB), profile.id);
    const arima = rows.find((r) => r.modelType === "arima");
    await deliver({ profileId: profile.id, modelId: arima!.id });
    const added = (await entries()).filter((e) => e.model_version === 2 || e.kind === "signal");
    expect(added.map((e) => `${e.model_type}:${e.model_version ?? ""}`)).toEqual([
      "signal:",
      "arima:2",
      "signal:",
    ]);
  });
});
