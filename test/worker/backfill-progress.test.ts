// A backfill whose slice takes several seconds reports progress after each stored day (at most once a
// second) over the admin WebSocket, instead of one jump from 0 to 100% per slice.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { backfillRunner } from "../../worker/backfill-runner";
import { api, bearer, bootstrapAdmin, call, expectJson, getJob, wsTicket } from "./helpers";

const replay = inject("replayUrl");

describe.skipIf(!replay)("backfill progress", () => {
  it("reports each stored day of a slow slice, at least a second apart", async () => {
    const admin = (await bootstrapAdmin()).token;
    await call("POST", "/api/admin/profiles", { token: admin, body: { symbol: "BTCUSDT" } });
    const ticket = await wsTicket("admin", admin);
    const ws = (
      await exports.default.fetch(
        new Request(`http://mm.test/api/admin/ws?ticket=${ticket}`, { headers: { upgrade: "websocket" } }),
      )
    ).webSocket!;
    ws.accept();
    const events: { progress: number | null; time: string; type: string; status?: string }[] = [];
    ws.addEventListener("message", (e) => {
      events.push(JSON.parse(String(e.data)));
    });

    // Every exchange request of the slice takes 1.1 s: the markets, then six pages of 1000 klines.
    await fetch(`${replay}/__replay/fault`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "timeout", hangMs: 1100, times: 7 }),
    });
    const collect = api.admin.collect.$post({ json: { symbols: ["BTCUSDT"], days: 4 } }, bearer(admin));
    const job = (await expectJson(collect, 202)).jobs[0];
    try {
      // The runner's alarm fires by itself; running it here as well only hurries it along.
      for (let i = 0; i < 600; i++) {
        const now = await getJob(admin, job.id);
        if (!["queued", "running"].includes(now.status)) break;
        if (!(await runDurableObjectAlarm(backfillRunner(env, job.id))))
          await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await fetch(`${replay}/__replay/fault`, { method: "DELETE" });
    }
    await new Promise((r) => setTimeout(r, 50));
    const progress = events.filter((e) => e.type === "data_collection_progress");
    const between = progress.filter((e) => e.progress !== null && e.progress > 0 && e.progress < 1);
    // 4 days, pages of 1000 minutes: days end in pages 2, 3 and 5, each page over a second after the last.
    expect(between.length).toBeGreaterThanOrEqual(3);
    const values = between.map((e) => e.progress!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    for (let i = 1; i < between.length; i++) {
      expect(Date.parse(between[i].time) - Date.parse(between[i - 1].time)).toBeGreaterThanOrEqual(1000);
    }
    // The last event says the job is over, so a console settles the row and re-reads the profile.
    expect(progress.at(-1)).toMatchObject({ progress: 1, status: "succeeded" });
    expect(between.every((e) => e.status === "running")).toBe(true);
    const done = (await call("GET", `/api/admin/jobs/${job.id}`, { token: admin })).json;
    expect(done).toMatchObject({ status: "succeeded", progress: 1 });
    ws.close();
  }, 60_000);
});
