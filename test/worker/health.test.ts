import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { api, call, expectJson, openApiDoc } from "./helpers";

describe("health", () => {
  it("reports db, storage and collection; the cron records its last run", async () => {
    const health = () => expectJson(api.health.$get(), 200);
    expect(await health()).toEqual({
      status: "ok",
      db: "ok",
      storage: "ok",
      collection: { last_run: null, stale: [] },
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
