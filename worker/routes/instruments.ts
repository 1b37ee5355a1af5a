// What users see: trained instruments only.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { listTrainedProfiles } from "../db/profiles";
import { quote } from "../market/store";
import { requireUser } from "../middleware/auth";
import { errors, jsonContent } from "../schemas";

const security = [{ userBearer: [] }];
const base = { tags: ["instruments"], security, middleware: [requireUser()] };

const Instrument = z
  .object({
    symbol: z.string(),
    name: z.string(),
    category: z.enum(["crypto", "forex"]),
    exchange: z.string(),
    price: z.number().nullable(),
    change_percent: z.number().nullable(),
    last_updated: z.string().nullable(),
  })
  .openapi("Instrument");

const list = createRoute({
  ...base,
  method: "get",
  path: "/",
  summary: "Instruments with data and trained models",
  request: { query: z.object({ category: z.enum(["crypto", "forex"]).optional() }) },
  responses: { 200: jsonContent(z.array(Instrument), "Instruments"), 400: errors[400], 401: errors[401] },
});

export const instrumentRoutes = createRouter().openapi(list, async (c) => {
  const { category } = c.req.valid("query");
  const profiles = await listTrainedProfiles(c.var.db, category);
  const rows = await Promise.all(
    profiles.map(async (p) => ({
      symbol: p.symbol,
      name: p.name,
      category: p.profileType,
      exchange: p.exchange,
      ...(await quote(c.var.db, p.id)),
    })),
  );
  return c.json(rows, 200);
});
