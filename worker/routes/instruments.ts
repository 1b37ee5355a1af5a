// What users see: trained instruments only, their candles in every timeframe.
import { z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import type { CandlesAnswer as CandlesAnswerShape } from "../contract";
import { CandleQuery, CandlesAnswer, TimeframeParam } from "../contract/candles";
import { Instrument, InstrumentQuery, SymbolParam } from "../contract/instruments";
import { listTrainedProfiles, trainedProfile } from "../db/profiles";
import { quote, readChart } from "../market/chart";
import { cachedGzip, chartKey, dataVersion, keepGzip } from "../market/chart-cache";
import { isSimulated } from "../market/simulated";
import { declare, userRoute } from "../middleware/declare-route";
import { freshJson, gzippedJson, matchesIfNoneMatch, representationTag } from "../middleware/gzip-body";
import { jsonContent } from "../schemas";

const base = userRoute("instruments");

const list = declare(base, "get", "/", [400, 401], {
  summary: "Instruments with data and trained models",
  request: { query: InstrumentQuery },
  responses: { 200: jsonContent(z.array(Instrument), "Instruments") },
});

const data = declare(base, "get", "/{symbol}/data/{timeframe}", [400, 401, 404], {
  summary: "Candles of a trained instrument, oldest first",
  request: { params: SymbolParam.extend({ timeframe: TimeframeParam }), query: CandleQuery },
  responses: {
    200: jsonContent(CandlesAnswer, "Candles (with an ETag; finished ranges are immutable)"),
    304: { description: "Not modified: the If-None-Match ETag is current" },
  },
});

export const instrumentRoutes = createRouter()
  .openapi(list, async (c) => {
    const { category } = c.req.valid("query");
    const profiles = await listTrainedProfiles(c.var.db, category);
    const rows = await Promise.all(
      profiles.map(async (p) => ({
        symbol: p.symbol,
        name: p.name,
        category: p.profileType,
        exchange: p.exchange,
        tick_size: p.tickSize,
        simulated: isSimulated(c.env, p.symbol),
        ...(await quote(c.env.BUCKET, c.var.db, p)),
      })),
    );
    return c.json(rows, 200);
  })
  .openapi(data, async (c) => {
    const { symbol, timeframe } = c.req.valid("param");
    const { limit, end } = c.req.valid("query");
    const [p, version] = await Promise.all([
      trainedProfile(c.var.db, symbol),
      dataVersion(c.env.DB, symbol.toUpperCase()),
    ]);
    const nowSec = Math.floor(Date.now() / 1000);
    const {
      key,
      etag: tag,
      finished,
    } = chartKey({ symbol: p.symbol, tf: timeframe, limit, end }, version, nowSec);
    const etag = representationTag(c, tag);
    const headers = {
      etag,
      // A finished range never changes; the latest one is revalidated (cheaply, by its ETag) each time.
      "cache-control": finished ? "private, max-age=86400, immutable" : "private, no-cache",
      vary: "Accept-Encoding",
    };
    if (matchesIfNoneMatch(c, etag)) return new Response(null, { status: 304, headers });
    const gz = await cachedGzip(key);
    if (gz !== null) return gzippedJson(c, gz, headers);
    const candles = await readChart(c.env.BUCKET, c.var.db, p, timeframe, limit, end);
    const json = JSON.stringify({ symbol: p.symbol, timeframe, candles } satisfies CandlesAnswerShape);
    return freshJson(c, json, headers, (gz) => keepGzip(key, gz));
  });
