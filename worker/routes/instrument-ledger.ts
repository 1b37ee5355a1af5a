// The forecast ledger of a trained instrument: its live track record and its entries (JSON or CSV),
// each with the scores of the hours closed so far. Read-only: no route edits an entry.
import { createRoute } from "@hono/zod-openapi";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { createRouter } from "../app-env";
import { SymbolParam } from "../contract/instruments";
import { Ledger, LedgerQuery, ledgerRange, TrackRecord } from "../contract/ledger";
import { trainedProfile } from "../db/profiles";
import { scoredEntries, toCsv } from "../ledger/export";
import { instrumentLedger, PAGE_ENTRIES } from "../ledger/instrument-ledger";
import { readChart } from "../market/chart";
import { requireUser } from "../middleware/auth";
import { rateLimit } from "../middleware/rate-limit";
import { errors, jsonContent } from "../schemas";

const base = { tags: ["instruments"], security: [{ userBearer: [] }] };
const failures = { 400: errors[400], 401: errors[401], 404: errors[404], 429: errors[429] };

const trackRecord = createRoute({
  ...base,
  middleware: [requireUser()],
  method: "get",
  path: "/{symbol}/track-record",
  summary:
    "The live track record: every served forecast and signal scored as its hours closed (per model and horizon), the signal's calibration and paper account, the ledger's chain head",
  request: { params: SymbolParam },
  responses: { 200: jsonContent(TrackRecord, "Track record"), ...failures },
});

const ledger = createRoute({
  ...base,
  middleware: [requireUser(), rateLimit("heavy")],
  method: "get",
  path: "/{symbol}/ledger",
  summary:
    "The ledger's entries whose origin hour lies in [from, to] (at most 31 days), oldest first, with hashes and scores; format=csv for the same columns as CSV",
  request: { params: SymbolParam, query: LedgerQuery },
  responses: {
    200: {
      description: "Entries",
      content: { "application/json": { schema: Ledger }, "text/csv": { schema: { type: "string" } } },
    },
    ...failures,
  },
});

export const instrumentLedgerRoutes = createRouter()
  .openapi(trackRecord, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    return c.json(await instrumentLedger(c.env, p.symbol).trackRecord(p.symbol), 200);
  })
  .openapi(ledger, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const q = c.req.valid("query");
    const { from, to } = ledgerRange(q);
    const stub = instrumentLedger(c.env, p.symbol);
    const [entries, record] = await Promise.all([
      stub.entries(from, to, q.after_seq ?? 0),
      stub.trackRecord(p.symbol),
    ]);
    // The candles of every target hour: the path reaches 24 hours past the last origin.
    const last = entries.at(-1)?.origin ?? to;
    const hours = Math.ceil((last - (entries[0]?.origin ?? from)) / 3600) + 27;
    const bars = entries.length
      ? await readChart(c.env.BUCKET, c.var.db, p, MODEL_TIMEFRAME, hours, last + 25 * 3600)
      : [];
    const scored = scoredEntries(entries, bars, record.scored_through);
    const full = entries.length >= PAGE_ENTRIES;
    if (q.format === "csv")
      return c.body(toCsv(scored), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${p.symbol}-ledger-${from}-${to}.csv"`,
      });
    return c.json(
      {
        symbol: p.symbol,
        from,
        to,
        next_after_seq: full ? (entries.at(-1)?.seq ?? null) : null,
        head: record.head,
        entries: scored,
      },
      200,
    );
  });
