// Liveness and readiness in one answer: database, storage, and whether collection keeps up (an
// exchange that failed the latest run is named at once).
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { STALE_AFTER_SECONDS } from "../config";
import { Health } from "../contract/health";
import { readOutcomes } from "../db/collection-outcomes";
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
  let failing: string[] = [];
  let unreachable: string[] = [];
  if (dbState === "ok") {
    const [run, active, outcomes] = await Promise.all([
      readState<string>(db, COLLECTION_LAST_RUN),
      listActiveProfiles(db),
      readOutcomes(db),
    ]);
    lastRun = run;
    const cutoff = Date.now() - STALE_AFTER_SECONDS * 1000;
    stale = active
      .filter((p) => !p.lastDataUpdate || p.lastDataUpdate.getTime() < cutoff)
      .map((p) => p.symbol);
    // The latest run's outcome tells at once, where staleness takes STALE_AFTER_SECONDS to show.
    const failed = active.filter((p) => (outcomes[p.id]?.failures ?? 0) > 0);
    failing = failed.map((p) => p.symbol);
    const exchanges = new Set(active.map((p) => p.exchange));
    unreachable = [...exchanges].filter((x) => active.every((p) => p.exchange !== x || failed.includes(p)));
  }
  const down = dbState !== "ok" || storage !== "ok";
  const troubled = stale.length + failing.length > 0;
  const body = {
    status: down || troubled ? ("degraded" as const) : ("ok" as const),
    db: dbState,
    storage,
    collection: {
      last_run: lastRun,
      stale: stale.sort(),
      failing: failing.sort(),
      unreachable_exchanges: unreachable.sort(),
    },
  };
  return down ? c.json(body, 503) : c.json(body, 200);
});
