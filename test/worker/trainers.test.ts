// Trainer presence in the admin API: who called the Worker in the last 10 minutes, and on which job.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { api, bearer, bootstrapAdmin, call, expectJson, insertProfile, signup } from "./helpers";

let admin: string;
const trainers = async () => expectJson(api.admin.trainers.$get({}, bearer(admin)), 200);
// A trainer is its token's subject: each simulated trainer has its own token.
const claim = async (worker: string) =>
  api.trainer.jobs.claim.$post(
    { json: { worker_id: worker } },
    bearer(await issueToken(env, "trainer", { sub: worker, ver: 0 })),
  );

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
});

describe("GET /api/admin/trainers", () => {
  it("is empty until a trainer calls, then lists it as idle (no job_id)", async () => {
    expect(await trainers()).toEqual([]);
    const before = Date.now();
    expect((await claim("laptop-1")).status).toBe(204);
    const list = await trainers();
    expect(list).toHaveLength(1);
    expect(list[0].id).toBe("laptop-1");
    expect(list[0]).not.toHaveProperty("job_id");
    expect(Date.parse(list[0].last_seen!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it("rewrites an idle trainer's row at most every 30 s (it polls every 5 s)", async () => {
    const seen = async () =>
      Number(await env.DB.prepare("select last_seen from trainers where id = 'laptop-1'").first("last_seen"));
    await env.DB.prepare("update trainers set last_seen = unixepoch() - 10 where id = 'laptop-1'").run();
    const before = await seen();
    await claim("laptop-1");
    expect(await seen()).toBe(before);
    await env.DB.prepare("update trainers set last_seen = unixepoch() - 40 where id = 'laptop-1'").run();
    await claim("laptop-1");
    expect(await seen()).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 2);
  });

  it("shows the job a trainer holds, and forgets trainers silent for more than 10 minutes", async () => {
    const profile = { id: await insertProfile("PRSUSDT") };
    const hour = 1_700_000_000 - (1_700_000_000 % 3600);
    await env.DB.batch(
      Array.from({ length: minTrainingCandles() }, (_, i) =>
        env.DB.prepare(
          "insert into candle_rollups (profile_id, timeframe, time, open, high, low, close, volume) values (?, '1h', ?, 1, 1, 1, 1, 1)",
        ).bind(profile.id, hour + i * 3600),
      ),
    );
    await env.DB.prepare("update trading_profiles set has_data = 1 where id = ?").bind(profile.id).run();
    const queued = api.admin["train-models"].$post(
      { json: { profile_ids: [profile.id], model_types: ["garch"] } },
      bearer(admin),
    );
    await expectJson(queued, 202);
    const claimed = await expectJson(claim("gpu-box"), 200);
    const list = await trainers();
    expect(list.map((t) => t.id).sort()).toEqual(["gpu-box", "laptop-1"]);
    expect(list.find((t) => t.id === "gpu-box")?.job_id).toBe(claimed.job.id);

    await env.DB.prepare("update trainers set last_seen = unixepoch() - 601 where id = 'laptop-1'").run();
    expect((await trainers()).map((t) => t.id)).toEqual(["gpu-box"]);
  });

  it("is for admins only", async () => {
    const user = await signup();
    const trainer = await issueToken(env, "trainer", { sub: "presence", ver: 0 });
    for (const token of [user.token, trainer, undefined]) {
      expect((await call("GET", "/api/admin/trainers", { token })).status).toBe(401);
    }
  });
});
