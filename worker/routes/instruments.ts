// What users see: trained instruments only, their candles in every timeframe.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { CandleQuery, CandlesAnswer, TimeframeParam } from "../contract/candles";
import { Instrument, InstrumentQuery, SymbolParam } from "../contract/instruments";
import { listTrainedProfiles, trainedProfile } from "../db/profiles";
import { quote, readChart } from "../market/chart";
import { isSimulated } from "../market/simulated";
import { requireUser } from "../middleware/auth";
import { errors, jsonContent } from "../schemas";

const base = { tags: ["instruments"], security: [{ userBearer: [] }], middleware: [requireUser()] };

const list = createRoute({
  ...base,
  method: "get",
  path: "/",
  summary: "Instruments with data and trained models",
  request: { query: InstrumentQuery },
  responses: { 200: jsonContent(z.array(Instrument), "Instruments"), 400: errors[400], 401: errors[401] },
});

const data = createRoute({
  ...base,
  method: "get",
  path: "/{symbol}/data/{timeframe}",
  summary: "Candles of a trained instrument, oldest first",
  request: { params: SymbolParam.extend({ timeframe: TimeframeParam }), query: CandleQuery },
  responses: {
    200: jsonContent(CandlesAnswer, "Candles"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
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
        simulated: isSimulated(c.env, p.symbol),
        ...(await quote(c.env.BUCKET, c.var.db, p)),
      })),
    );
    return c.json(rows, 200);
  })
  .openapi(data, async (c) => {
    const { symbol, timeframe } = c.req.valid("param");
    const { limit, end } = c.req.valid("query");
    const p = await trainedProfile(c.var.db, symbol);
    const candles = await readChart(c.env.BUCKET, c.var.db, p, timeframe, limit, end);
    return c.json({ symbol: p.symbol, timeframe, candles }, 200);
  });
