// Deleting a profile removes everything stored for it: the R2 model artifacts (every version and
// abandoned attempt) and candle archives, and the D1 candles, rollups, archive index, jobs and models;
// a neighbour whose symbol starts the same keeps all of its own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/client";
import { activateVersion } from "../../worker/db/models";
import { storeCandles } from "../../worker/market/store";
import { artifactKey, putArtifact, sha256Hex } from "../../worker/models/artifact-store";
import { bootstrapAdmin, call, insertProfile } from "./helpers";
import { syntheticCandles } from "./synthetic";

const DAY0 = Date.UTC(2024, 2, 4) / 1000;
const NOW = DAY0 + 2 * 86_400 + 120 * 60;
const db = getDb(env.DB);

async function arrange(symbol: string) {
  const profile = { id: await insertProfile(symbol), symbol };
  await storeCandles(env.BUCKET, db, profile, syntheticCandles(DAY0, 2 * 1440 + 120, new Set()), NOW);
  const job = await env.DB.prepare(
    "insert into jobs (kind, status, profile_id, model_type) values ('train', 'succeeded', ?, 'arima') returning id",
  )
    .bind(profile.id)
    .first<number>("id");
  const bytes = new TextEncoder().encode(`{"kind":"arima","for":"${symbol}"}`);
  const sha = await sha256Hex(bytes);
  for (const attempts of [1, 2]) {
    // Attempt 1 was abandoned after its upload: no model row points at it, yet it is the profile's.
    const key = artifactKey(symbol, { id: job!, modelType: "arima", attempts });
    await putArtifact(env.BUCKET, key, bytes, sha, job!);
    if (attempts === 2)
      await activateVersion(db, {
        profileId: profile.id,
        modelType: "arima",
        jobId: job!,
        trainedOn: { timeframe: "1h", from: 0, to: 3600 },
        parameters: {},
        metrics: {},
        artifactKey: key,
        artifactSha256: sha,
        artifactBytes: bytes.byteLength,
      });
  }
  return profile;
}

const keys = async (prefix: string) => (await env.BUCKET.list({ prefix })).objects.map((o) => o.key);
const rows = async (table: string, profileId: number) =>
  env.DB.prepare(`select count(*) as n from ${table} where profile_id = ?`)
    .bind(profileId)
    .first<number>("n");
const TABLES = ["candles", "candle_rollups", "candle_days", "jobs", "ml_models"];

describe("deleting a profile", () => {
  it("removes its artifacts, archives, rollups, jobs and models, and nothing of its neighbour", async () => {
    const admin = (await bootstrapAdmin()).token;
    const gone = await arrange("ABC");
    const kept = await arrange("ABCUSDT");
    expect(await keys("models/ABC/")).toHaveLength(2);
    expect(await keys("candles/ABC/")).toHaveLength(2);
    for (const t of TABLES) expect(await rows(t, gone.id), t).toBeGreaterThan(0);

    expect((await call("DELETE", `/api/admin/profiles/${gone.id}`, { token: admin })).status).toBe(204);

    const all = (await env.BUCKET.list()).objects.map((o) => o.key);
    expect(all.filter((k) => k.includes("/ABC/"))).toEqual([]);
    for (const t of TABLES) expect(await rows(t, gone.id), t).toBe(0);
    expect(await keys("models/ABCUSDT/")).toHaveLength(2);
    expect(await keys("candles/ABCUSDT/")).toHaveLength(2);
    for (const t of TABLES) expect(await rows(t, kept.id), t).toBeGreaterThan(0);
  });
});
