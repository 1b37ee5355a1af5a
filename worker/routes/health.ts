// Liveness and readiness in one answer: database, storage, and whether collection keeps up.
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { STALE_AFTER_SECONDS } from "../config";
import { Health } from "../contract/health";
import { listActiveProfiles } from "../db/profiles";
import { COLLECTION_LAST_RUN, readState } from "../db/state";
import { jsonContent } from "../schemas";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["public"],
  summary: "Service health (503 when the database or storage is down)",
  responses: {
    200: jsonContent(Health, "Healthy or degraded"),
    503: jsonContent(Health, "Database or storage down"),
  },
});

const check = async (probe: () => Promise<unknown>) =>
  probe().then(
    () => "ok" as const,
    () => "error" as const,
  );

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const db = c.var.db;
  const [dbState, storage] = await Promise.all([
    check(() => c.env.DB.prepare("select 1").first()),
    check(() => c.env.BUCKET.head("health/probe")),
  ]);
  let lastRun: string | null = null;
  let stale: string[] = [];
  if (dbState === "ok") {
    lastRun = await readState<string>(db, COLLECTION_LAST_RUN);
    const cutoff = Date.now() - STALE_AFTER_SECONDS * 1000;
    stale = (await listActiveProfiles(db))
      .filter((p) => !p.lastDataUpdate || p.lastDataUpdate.getTime() < cutoff)
      .map((p) => p.symbol)
      .sort();
  }
  const down = dbState !== "ok" || storage !== "ok";
  const body = {
    status: down || stale.length > 0 ? ("degraded" as const) : ("ok" as const),
    db: dbState,
    storage,
    collection: { last_run: lastRun, stale },
  };
  return down ? c.json(body, 503) : c.json(body, 200);
});
