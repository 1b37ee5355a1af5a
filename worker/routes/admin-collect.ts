// Backfills: one collection job per symbol, each worked by its own BackfillRunner.
import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AppEnv, createRouter } from "../app-env";
import type { BackfillParams } from "../backfill-runner";
import { backfillRunner } from "../backfill-runner";
import { CollectBody, QueuedJobs } from "../contract/jobs";
import { createJobs, listJobs, openJobs, publicJob } from "../db/jobs";
import { getProfileBySymbol } from "../db/profiles";
import { ApiError } from "../errors";
import { isSupportedExchange, SUPPORTED_EXCHANGES } from "../market/exchange";
import { auditAdmin } from "../middleware/auth";
import { adminRoute } from "../middleware/declare-route";
import { errors, jsonBody, jsonContent } from "../schemas";

const collect = <P extends string>(path: P) =>
  createRoute({
    method: "post",
    path,
    ...adminRoute(),
    summary: "Backfill `days` of 1m candles for each symbol (one job per symbol)",
    request: { body: jsonBody(CollectBody) },
    responses: {
      202: jsonContent(QueuedJobs, "Jobs queued (an already open job for a symbol is returned as is)"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      422: errors[422],
    },
  });

/** One backfill job per symbol (an open one is returned as it is); 404 and 422 queue nothing. */
async function queueBackfills(c: Context<AppEnv>, { symbols, days }: z.output<typeof CollectBody>) {
  const db = c.var.db;
  const unique = [...new Set(symbols)];
  const profiles = await Promise.all(unique.map((s) => getProfileBySymbol(db, s)));
  const unknown = unique.filter((_, i) => !profiles[i]);
  if (unknown.length)
    throw new ApiError(404, "profile_not_found", `No profile for ${unknown.join(", ")}: create it first`);
  const unsupported = profiles
    .filter((p) => p && !isSupportedExchange(p.exchange))
    .map((p) => `${p!.symbol} (${p!.exchange})`);
  if (unsupported.length) {
    throw new ApiError(
      422,
      "exchange_not_bundled",
      `No bundled exchange for ${unsupported.join(", ")}; bundled: ${SUPPORTED_EXCHANGES.join(", ")}`,
    );
  }
  const now = Math.floor(Date.now() / 60_000) * 60;
  const existing: number[] = [];
  const fresh = [];
  for (const p of profiles) {
    const open = await openJobs(db, "collect", p!.id);
    if (open.length) existing.push(open[0].id);
    else {
      const from = now - days * 86_400;
      const params: BackfillParams = {
        days,
        interval: "1m",
        from,
        to: now,
        cursor: from,
        stored: 0,
        added: 0,
      };
      fresh.push({
        kind: "collect" as const,
        profileId: p!.id,
        params: { ...params },
        createdBy: c.var.admin.id,
      });
    }
  }
  const created = await createJobs(db, fresh);
  for (const job of created) await backfillRunner(c.env, job.id).start(job.id);
  await auditAdmin(c, "data.collect", unique.join(","), { days, jobs: created.map((j) => j.id) });
  const jobs = [...created, ...(existing.length ? await listJobs(db, { ids: existing }) : [])];
  return { jobs: jobs.map(publicJob) };
}

// POST /api/data/collect is the same route under its older name.
export const adminCollectRoutes = createRouter()
  .openapi(collect("/admin/collect"), async (c) => c.json(await queueBackfills(c, c.req.valid("json")), 202))
  .openapi(collect("/data/collect"), async (c) => c.json(await queueBackfills(c, c.req.valid("json")), 202));
