// The alerts API: created only on instruments a user may see, values checked per kind, a user's alerts
// only theirs, the per-user cap held even under concurrent requests, the routes in the OpenAPI document,
// and an account's alerts, notifications and push subscriptions deleted with it.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ALERT_LIMITS } from "../../core/alerts/rules";
import { api, bearer, call, expectJson, openApiDoc, type RawAnswer, signup } from "./helpers";

let owner: Awaited<ReturnType<typeof signup>>;
let other: Awaited<ReturnType<typeof signup>>;

async function profile(symbol: string, trained: boolean) {
  return (await env.DB.prepare(
    "insert into trading_profiles (symbol, name, has_data, models_trained) values (?, ?, ?, ?) returning id",
  )
    .bind(symbol, symbol, trained ? 1 : 0, trained ? 1 : 0)
    .first("id")) as number;
}

let btc: number;
beforeAll(async () => {
  owner = await signup();
  other = await signup();
  btc = await profile("BTCUSDT", true);
  await profile("RAWUSDT", false);
});

/** An untyped answer's error, after checking its status. */
async function expectError(res: Promise<RawAnswer>, status: number) {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  expect(r.error?.code).toBeTypeOf("string");
  return r.error as { code: string; message: string };
}

const create = (token: string, json: { symbol: string; kind: string; value?: number | null }) =>
  call("POST", "/api/alerts", { token, body: json });

describe("creating alerts", () => {
  it("creates an alert on a trained instrument, waiting for its first evaluation", async () => {
    const made = await expectJson(
      api.alerts.$post(
        { json: { symbol: "btcusdt", kind: "price_above", value: 70000 } },
        bearer(owner.token),
      ),
      201,
    );
    expect(made).toMatchObject({ symbol: "BTCUSDT", kind: "price_above", value: 70000, enabled: true });
    expect(made.state).toBe("waiting");
    const listed = await expectJson(api.alerts.$get({}, bearer(owner.token)), 200);
    expect(listed.alerts.map((a) => a.id)).toContain(made.id);
    expect(listed.limit).toBe(ALERT_LIMITS.perUser);
    // The other account sees none of it.
    expect((await expectJson(api.alerts.$get({}, bearer(other.token)), 200)).alerts).toEqual([]);
  });

  it("refuses an untrained or unknown instrument with 404 and stores nothing", async () => {
    for (const symbol of ["RAWUSDT", "NOPEUSDT"]) {
      const e = await expectError(create(other.token, { symbol, kind: "price_below", value: 1 }), 404);
      expect(e.code).toBe("instrument_not_found");
    }
    const n = await env.DB.prepare("select count(*) n from alerts where user_id = ?")
      .bind(other.id)
      .first("n");
    expect(n).toBe(0);
  });

  it("checks the value against the kind, and refuses unknown fields", async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ kind: "price_above" }, "needs a value"],
      [{ kind: "price_below", value: -3 }, "above 0"],
      [{ kind: "signal_change", value: 2 }, "takes no value"],
      [{ kind: "band_exit", value: 1 }, "takes no value"],
      [{ kind: "change_pct", value: 0 }, "percent"],
      [{ kind: "change_pct", value: 250 }, "percent"],
      [{ kind: "data_stale", value: 1.5 }, "minutes"],
      [{ kind: "sideways", value: 1 }, "kind"],
      [{ kind: "price_above", value: 1, user_id: owner.id }, "user_id"],
    ];
    for (const [body, words] of bad) {
      const e = await expectError(
        call("POST", "/api/alerts", { token: other.token, body: { symbol: "BTCUSDT", ...body } }),
        400,
      );
      expect(e.code).toBe("validation_error");
      expect(e.message).toContain(words);
    }
    // Valid without a value: the signal, the band, stale data (its default).
    for (const kind of ["signal_change", "band_exit", "data_stale"])
      expect((await create(other.token, { symbol: "BTCUSDT", kind })).status).toBe(201);
    expect((await create(other.token, { symbol: "BTCUSDT", kind: "change_pct", value: -2.5 })).status).toBe(
      201,
    );
  });

  it("holds the per-user cap, also when requests race for the last places", async () => {
    const u = await signup();
    const fill = ALERT_LIMITS.perUser - 2;
    await env.DB.batch(
      Array.from({ length: fill }, (_, i) =>
        env.DB.prepare(
          "insert into alerts (user_id, profile_id, kind, value) values (?, ?, 'price_above', ?)",
        ).bind(u.id, btc, 1000 + i),
      ),
    );
    const raced = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        create(u.token, { symbol: "BTCUSDT", kind: "price_below", value: 10 + i }),
      ),
    );
    expect(raced.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = raced.filter((r) => r.status === 409);
    expect(refused).toHaveLength(4);
    expect(refused[0].error?.code).toBe("alert_limit");
    const n = await env.DB.prepare("select count(*) n from alerts where user_id = ?").bind(u.id).first("n");
    expect(n).toBe(ALERT_LIMITS.perUser);
  });
});

describe("changing and deleting alerts", () => {
  it("changes a value (the alert starts over) and switches it off; another account gets 404", async () => {
    const a = (await create(owner.token, { symbol: "BTCUSDT", kind: "price_below", value: 50000 })).json as {
      id: number;
    };
    await env.DB.prepare("update alerts set armed = 0 where id = ?").bind(a.id).run();
    const param = { id: String(a.id) };
    const changed = await expectJson(
      api.alerts[":id"].$patch({ param, json: { value: 48000 } }, bearer(owner.token)),
      200,
    );
    expect(changed).toMatchObject({ value: 48000, state: "waiting", enabled: true });
    const off = await expectJson(
      api.alerts[":id"].$patch({ param, json: { enabled: false } }, bearer(owner.token)),
      200,
    );
    expect(off.enabled).toBe(false);
    expect(
      (
        await expectError(
          call("PATCH", `/api/alerts/${a.id}`, { token: owner.token, body: { value: -1 } }),
          400,
        )
      ).message,
    ).toContain("above 0");
    expect(
      (await expectError(call("PATCH", `/api/alerts/${a.id}`, { token: owner.token, body: {} }), 400)).code,
    ).toBe("validation_error");
    // Someone else's alert does not exist for them.
    await expectError(
      call("PATCH", `/api/alerts/${a.id}`, { token: other.token, body: { enabled: true } }),
      404,
    );
    await expectError(call("DELETE", `/api/alerts/${a.id}`, { token: other.token }), 404);
    expect((await call("DELETE", `/api/alerts/${a.id}`, { token: owner.token })).status).toBe(204);
    expect((await expectError(call("DELETE", `/api/alerts/${a.id}`, { token: owner.token }), 404)).code).toBe(
      "alert_not_found",
    );
    await expectError(call("PATCH", "/api/alerts/0x1", { token: owner.token, body: { enabled: true } }), 400);
  });

  it("needs a signed-in user", async () => {
    await expectError(call("GET", "/api/alerts"), 401);
    await expectError(call("GET", "/api/notifications"), 401);
    await expectError(call("GET", "/api/push/key"), 401);
  });
});

describe("the contract", () => {
  it("documents every alert, notification and push route", async () => {
    const doc = await openApiDoc();
    expect(Object.keys(doc.paths["/api/alerts"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/alerts/{id}"] ?? {}).sort()).toEqual(["delete", "patch"]);
    expect(doc.paths["/api/notifications"]?.get).toBeDefined();
    expect(doc.paths["/api/notifications/read"]?.post).toBeDefined();
    expect(doc.paths["/api/push/key"]?.get).toBeDefined();
    expect(Object.keys(doc.paths["/api/push/subscriptions"] ?? {}).sort()).toEqual(["delete", "post"]);
    expect(doc.components.schemas.Alert).toBeDefined();
    expect(doc.components.schemas.Notification).toBeDefined();
  });
});

describe("deleting the account", () => {
  it("deletes its alerts, notifications and push subscriptions", async () => {
    const u = await signup();
    const a = (await create(u.token, { symbol: "BTCUSDT", kind: "price_above", value: 1 })).json as {
      id: number;
    };
    await env.DB.batch([
      env.DB.prepare(
        "insert into notifications (user_id, alert_id, event_key, symbol, kind, title, body, event_time) values (?, ?, 'k-del', 'BTCUSDT', 'price_above', 't', 'b', 0)",
      ).bind(u.id, a.id),
      env.DB.prepare(
        "insert into push_subscriptions (user_id, endpoint, p256dh, auth) values (?, 'https://push.example/x', 'p', 'a')",
      ).bind(u.id),
    ]);
    const res = await call("DELETE", "/api/profile/delete", {
      token: u.token,
      body: { current_password: u.password },
    });
    expect(res.status).toBe(204);
    for (const table of ["alerts", "notifications", "push_subscriptions"]) {
      const n = await env.DB.prepare(`select count(*) n from ${table} where user_id = ?`)
        .bind(u.id)
        .first("n");
      expect(n, table).toBe(0);
    }
  });
});
