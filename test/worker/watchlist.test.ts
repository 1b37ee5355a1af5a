// The watchlist (worker/routes/watchlist.ts): each trained instrument with the user's own star, the
// signal the signal route serves, and the last 24 hourly closes; stars are per user, set twice is set
// once, unknown symbols are 404 and change nothing, and a deleted user's stars go with them.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { api, bearer, call, expectJson, openApiDoc, signup } from "./helpers";
import { arrangeInstrument, series } from "./insights-fixtures";

const { all, NOW } = series();
let token: string;

const watchlist = (t = token) => expectJson(api.watchlist.$get({}, bearer(t)), 200);
const star = (symbol: string, t = token) =>
  expectJson(api.watchlist[":symbol"].star.$put({ param: { symbol } }, bearer(t)), 200);
const unstar = (symbol: string, t = token) =>
  expectJson(api.watchlist[":symbol"].star.$delete({ param: { symbol } }, bearer(t)), 200);
const stars = async () =>
  (await env.DB.prepare("select count(*) as n from watchlist_stars").first("n")) as number;

beforeAll(async () => {
  ({ token } = await arrangeInstrument(all, NOW));
});

describe("watchlist", () => {
  it("lists each trained instrument with its signal and the last 24 hourly closes", async () => {
    const { instruments } = await watchlist();
    // RAWUSDT has data but no model: not on anyone's watchlist.
    expect(instruments.map((i) => i.symbol)).toEqual(["INSUSDT"]);
    const [row] = instruments;
    const served = await expectJson(
      api.instruments[":symbol"].signals.$get({ param: { symbol: "INSUSDT" } }, bearer(token)),
      200,
    );
    expect(row.signal).toBe(served.signal);
    expect(row.starred).toBe(false);
    const hours = aggregate(all, "1h").slice(-24);
    expect(row.sparkline).toEqual(hours.map((h) => ({ time: h.time, close: h.close })));
  });

  it("keeps each user's stars apart; starring twice is starring once", async () => {
    const other = (await signup()).token;
    expect(await star("insusdt")).toEqual({ symbol: "INSUSDT", starred: true });
    expect(await star("INSUSDT")).toEqual({ symbol: "INSUSDT", starred: true });
    expect((await watchlist()).instruments[0].starred).toBe(true);
    expect((await watchlist(other)).instruments[0].starred).toBe(false);
    expect(await stars()).toBe(1);
    expect(await unstar("INSUSDT")).toEqual({ symbol: "INSUSDT", starred: false });
    expect((await watchlist()).instruments[0].starred).toBe(false);
    expect(await stars()).toBe(0);
  });

  it("answers 404 for an instrument users cannot see, 401 without a token, and stores nothing", async () => {
    for (const symbol of ["RAWUSDT", "NOPEUSDT"]) {
      const res = await call("PUT", `/api/watchlist/${symbol}/star`, { token });
      expect(res.status).toBe(404);
      expect(res.error?.code).toBe("instrument_not_found");
    }
    expect((await call("GET", "/api/watchlist")).status).toBe(401);
    expect((await call("PUT", "/api/watchlist/INSUSDT/star")).status).toBe(401);
    expect(await stars()).toBe(0);
  });

  it("forgets a user's stars with the user", async () => {
    const user = await signup();
    await star("INSUSDT", user.token);
    expect(await stars()).toBe(1);
    await env.DB.prepare("delete from users where id = ?").bind(user.id).run();
    expect(await stars()).toBe(0);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await openApiDoc();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/watchlist", "/api/watchlist/{symbol}/star"]),
    );
    expect(Object.keys(doc.paths["/api/watchlist/{symbol}/star"] ?? {})).toEqual(
      expect.arrayContaining(["put", "delete"]),
    );
  });
});
