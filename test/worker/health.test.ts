import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/client";
import { recordOutcomes } from "../../worker/db/collection-outcomes";
import worker from "../../worker/index";
import { api, call, expectJson, openApiDoc } from "./helpers";

describe("health", () => {
  it("reports db, storage and collection; the cron records its last run", async () => {
    const health = () => expectJson(api.health.$get(), 200);
    expect(await health()).toEqual({
      status: "ok",
      db: "ok",
      storage: "ok",
      collection: { last_run: null, stale: [], failing: [], unreachable_exchanges: [] },
    });

    const at = Date.UTC(2026, 0, 2, 3, 4);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await health()).collection.last_run).toBe(new Date(at).toISOString());
  });

  it("is degraded and names the symbols whose collection is stale", async () => {
    await env.DB.prepare(
      "insert into trading_profiles (symbol, name, last_data_update) values ('OLDUSDT', 'Old', unixepoch() - 3600)",
    ).run();
    const res = await expectJson(api.health.$get(), 200);
    expect(res.status).toBe("degraded");
    expect(res.collection.stale).toEqual(["OLDUSDT"]);
  });

  it("names an exchange unreachable at the first failed run, before anything is stale (issue 22.9)", async () => {
    const ids: number[] = [];
    for (const symbol of ["DOWNAUSDT", "DOWNBUSDT"]) {
      ids.push(
        (await env.DB.prepare(
          "insert into trading_profiles (symbol, name, exchange, last_data_update) values (?, ?, 'kraken', unixepoch()) returning id",
        )
          .bind(symbol, symbol)
          .first("id")) as number,
      );
    }
    const run = (errors: (string | null)[]) =>
      recordOutcomes(getDb(env.DB), new Map(ids.map((id, i) => [id, errors[i]])), new Date());
    await run(["fetch failed: connect ECONNREFUSED", null]);
    let res = await expectJson(api.health.$get(), 200);
    expect(res.status).toBe("degraded");
    expect(res.collection.failing).toEqual(["DOWNAUSDT"]);
    expect(res.collection.unreachable_exchanges).toEqual([]); // one symbol failing is not the exchange
    await run(["fetch failed: connect ECONNREFUSED", "fetch failed: connect ECONNREFUSED"]);
    res = await expectJson(api.health.$get(), 200);
    expect(res.collection.stale).not.toContain("DOWNAUSDT");
    expect(res.collection.failing).toEqual(["DOWNAUSDT", "DOWNBUSDT"]);
    expect(res.collection.unreachable_exchanges).toEqual(["kraken"]);
    await run([null, null]); // the next run succeeds: healthy again
    res = await expectJson(api.health.$get(), 200);
    expect([res.collection.failing, res.collection.unreachable_exchanges]).toEqual([[], []]);
  });
});

describe("OpenAPI", () => {
  it("describes every API route of the app", async () => {
    const doc = await openApiDoc();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops ?? {}).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const expected of [
      "POST /api/auth/signup",
      "POST /api/auth/login",
      "GET /api/auth/me",
      "PUT /api/profile/update",
      "DELETE /api/profile/delete",
      "GET /api/instruments",
      "POST /api/instruments/ws/ticket",
      "GET /api/instruments/{symbol}/ws",
      "POST /api/notifications/ws/ticket",
      "GET /api/notifications/ws",
      "POST /api/admin/auth/register",
      "POST /api/admin/auth/login",
      "GET /api/admin/profiles",
      "POST /api/admin/profiles",
      "PATCH /api/admin/profiles/{id}",
      "DELETE /api/admin/profiles/{id}",
      "POST /api/admin/train-models",
      "GET /api/admin/trainers",
      "GET /api/health",
    ]) {
      expect(routes).toContain(expected);
    }
    expect(doc.components.securitySchemes).toHaveProperty("adminBearer");
  });

  it("serves a docs page that loads only local assets", async () => {
    const res = await call("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.text).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(res.text).not.toMatch(/https?:\/\//);
  });
});
