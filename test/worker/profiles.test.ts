import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProfileCreateBody, ProfilePatchBody } from "../../worker/contract";
import {
  api,
  bearer,
  bootstrapAdmin,
  call,
  expectError,
  expectJson,
  insertProfile,
  listProfiles,
  signup,
} from "./helpers";

let admin: string;
beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
});

const create = (body: unknown) => call("POST", "/api/admin/profiles", { token: admin, body });
/** A profile created through the typed client: the 201 answer. */
const add = (json: ProfileCreateBody) => expectJson(api.admin.profiles.$post({ json }, bearer(admin)), 201);
const patch = (id: number, json: ProfilePatchBody) =>
  api.admin.profiles[":id"].$patch({ param: { id: String(id) }, json }, bearer(admin));

describe("trading profiles", () => {
  it("creates with defaults, upper-cases the symbol, and lists it", async () => {
    const res = await add({ symbol: " btcusdt " });
    expect(res).toMatchObject({
      symbol: "BTCUSDT",
      name: "BTCUSDT",
      profile_type: "crypto",
      exchange: "binance",
      has_data: false,
      models_trained: false,
      last_data_update: null,
      // The market's tick from ccxt's precision (the exchange's PRICE_FILTER): prices show its decimals.
      tick_size: 0.01,
    });
    expect((await listProfiles(admin)).map((p) => p.symbol)).toContain("BTCUSDT");
  });

  it.each([
    [{ symbol: "B" }],
    [{ symbol: "BTC/USDT" }],
    [{ symbol: "A".repeat(21) }],
    [{ symbol: "ETHUSDT", exchange: "notanexchange" }],
    [{ symbol: "ETHUSDT", profile_type: "stocks" }],
    [{}],
  ])("rejects %j with 400 and stores nothing", async (body) => {
    const before = await env.DB.prepare("select count(*) as n from trading_profiles").first("n");
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe("validation_error");
    expect(await env.DB.prepare("select count(*) as n from trading_profiles").first("n")).toBe(before);
  });

  it("accepts any exchange ccxt knows and answers 409 for a duplicate symbol", async () => {
    expect((await create({ symbol: "XRPUSDT", exchange: "Kraken", name: "Ripple" })).status).toBe(201);
    expect((await create({ symbol: "xrpusdt", exchange: "kraken" })).status).toBe(409);
    expect((await create({ symbol: "btcusdt" })).status).toBe(409);
  });

  it("answers 409 symbol_taken when a rename clashes with another profile, and changes nothing", async () => {
    // On an exchange that is not bundled the listing cannot be asked: only the clash can refuse it.
    const link = await add({ symbol: "LINKUSDT", exchange: "kraken" });
    const avax = await add({ symbol: "AVAXUSDT", exchange: "kraken" });
    expect((await expectError(patch(avax.id, { symbol: "linkusdt" }), 409)).code).toBe("symbol_taken");
    const symbols = await env.DB.prepare("select symbol from trading_profiles where id in (?, ?) order by id")
      .bind(link.id, avax.id)
      .all();
    expect(symbols.results.map((r) => r.symbol)).toEqual(["LINKUSDT", "AVAXUSDT"]);
  });

  it("ignores has_data / models_trained / id in the body (no mass assignment)", async () => {
    // Fields the schema does not know, sent as a client that adds them would.
    const extra = { symbol: "SOLUSDT", has_data: true, models_trained: true, id: 777 };
    const res = await add(extra);
    expect(res).toMatchObject({ has_data: false, models_trained: false });
    expect(res.id).not.toBe(777);
    const change = { name: "Solana", models_trained: true };
    const patched = await expectJson(patch(res.id, change), 200);
    expect(patched).toMatchObject({ name: "Solana", models_trained: false });
  });

  it("refuses a symbol the exchange does not list (422, naming the exchange) and stores nothing", async () => {
    const before = await env.DB.prepare("select count(*) as n from trading_profiles").first("n");
    for (const body of [{ symbol: "FOOBARXYZ" }, { symbol: "FOOBARXYZ", exchange: "binanceus" }]) {
      const res = await create(body);
      expect(res.status).toBe(422);
      expect(res.error?.code).toBe("unknown_symbol");
      expect(res.error?.message).toMatch(
        new RegExp(`^${body.exchange ?? "binance"} does not list FOOBARXYZ`),
      );
    }
    const id = await insertProfile("DOGEUSDT");
    const moved = await call("PATCH", `/api/admin/profiles/${id}`, {
      token: admin,
      body: { symbol: "FOOBARXYZ" },
    });
    expect(moved.status).toBe(422);
    expect(moved.error?.code).toBe("unknown_symbol");
    expect(
      await env.DB.prepare("select symbol from trading_profiles where id = ?").bind(id).first("symbol"),
    ).toBe("DOGEUSDT");
    expect(await env.DB.prepare("select count(*) as n from trading_profiles").first("n")).toBe(
      Number(before) + 1,
    );
  });

  it("patches, refuses a symbol change once data exists, deletes, and answers 404 after", async () => {
    const p = { id: await insertProfile("ADAUSDT") };
    const renamed = await call("PATCH", `/api/admin/profiles/${p.id}`, {
      token: admin,
      body: { symbol: "ETHUSDT", is_active: false },
    });
    expect(renamed.json).toMatchObject({ symbol: "ETHUSDT", is_active: false });
    await env.DB.prepare("update trading_profiles set has_data = 1 where id = ?").bind(p.id).run();
    const moved = await call("PATCH", `/api/admin/profiles/${p.id}`, {
      token: admin,
      body: { symbol: "ADABTC" },
    });
    expect(moved.status).toBe(409);
    expect((await call("DELETE", `/api/admin/profiles/${p.id}`, { token: admin })).status).toBe(204);
    expect(
      (await call("PATCH", `/api/admin/profiles/${p.id}`, { token: admin, body: { name: "x" } })).status,
    ).toBe(404);
    expect((await call("DELETE", `/api/admin/profiles/${p.id}`, { token: admin })).status).toBe(404);
    expect((await call("DELETE", "/api/admin/profiles/abc", { token: admin })).status).toBe(400);
  });

  it("writes every change to the audit log", async () => {
    const rows = await env.DB.prepare("select action from audit_log where action like 'profile.%'").all<{
      action: string;
    }>();
    expect(new Set(rows.results.map((r) => r.action))).toEqual(
      new Set(["profile.create", "profile.update", "profile.delete"]),
    );
  });
});

describe("instruments for users", () => {
  it("lists only profiles with data AND trained models, filtered by category", async () => {
    const user = await signup();
    const ids: Record<string, number> = {};
    for (const [symbol, type] of [
      ["DOTUSDT", "crypto"],
      ["EURUSD", "forex"],
      ["LTCUSDT", "crypto"],
    ] as const) {
      ids[symbol] = await insertProfile(symbol, type);
    }
    await env.DB.prepare("update trading_profiles set has_data = 1, models_trained = 1 where id in (?, ?)")
      .bind(ids.DOTUSDT, ids.EURUSD)
      .run();
    await env.DB.prepare("update trading_profiles set has_data = 1 where id = ?").bind(ids.LTCUSDT).run();
    const instruments = (query: { category?: "crypto" | "forex" }) =>
      expectJson(api.instruments.$get({ query }, bearer(user.token)), 200);
    const all = await instruments({});
    expect(all.map((i) => i.symbol)).toEqual(["DOTUSDT", "EURUSD"]);
    expect(all[0]).toMatchObject({
      name: "DOTUSDT",
      category: "crypto",
      exchange: "binance",
      price: null,
    });
    expect((await instruments({ category: "forex" })).map((i) => i.symbol)).toEqual(["EURUSD"]);
    expect((await call("GET", "/api/instruments?category=stocks", { token: user.token })).status).toBe(400);
  });
});
