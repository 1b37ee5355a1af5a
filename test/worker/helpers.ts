// Small helpers for Worker tests: requests through the real app, and accounts to act as.
import { env, exports } from "cloudflare:workers";

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  rawBody?: BodyInit;
}

/** A fresh private client address for each call, so per-address limits only trip on purpose. */
const someAddress = () =>
  `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;

export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { "cf-connecting-ip": someAddress(), ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(opts.body);
  }
  const res = await exports.default.fetch(new Request(`http://mm.test${path}`, { method, headers, body }));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

let counter = 0;
export const uniqueEmail = (prefix = "user") =>
  `${prefix}${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;

export async function signup(email = uniqueEmail(), password = "correct horse battery") {
  const res = await call("POST", "/api/auth/signup", { body: { email, password } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { email, password, token: res.json.token as string, id: res.json.user.id as number };
}

/** The first admin (via the bootstrap token) in this test file's fresh database, logged in. */
export async function bootstrapAdmin(email = "root@example.com", password = "admin password 1") {
  const reg = await call("POST", "/api/admin/auth/register", {
    body: { email, password, name: "Root" },
    headers: { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN },
  });
  if (reg.status !== 201) throw new Error(`bootstrap failed: ${reg.status} ${reg.text}`);
  const login = await call("POST", "/api/admin/auth/login", { body: { email, password } });
  return { email, password, token: login.json.access_token as string, id: reg.json.admin.id as number };
}

/** Stores `n` flat hourly rollups for a profile (what training needs and reads), as the collector would. */
export async function storeHours(
  profileId: number,
  n: number,
  from = 1_700_000_000 - (1_700_000_000 % 3600),
) {
  await env.DB.batch(
    Array.from({ length: n }, (_, i) =>
      env.DB.prepare(
        "insert or ignore into candle_rollups (profile_id, timeframe, time, open, high, low, close, volume) values (?, '1h', ?, 1, 1, 1, 1, 1)",
      ).bind(profileId, from + i * 3600),
    ),
  );
  await env.DB.prepare("update trading_profiles set has_data = 1 where id = ?").bind(profileId).run();
}

/** A profile row written straight to D1, for tests about something other than creating profiles. */
export async function insertProfile(symbol: string, profileType: "crypto" | "forex" = "crypto") {
  return (await env.DB.prepare(
    "insert into trading_profiles (symbol, name, profile_type) values (?, ?, ?) returning id",
  )
    .bind(symbol, symbol, profileType)
    .first("id")) as number;
}

/** A trainer's evaluation metrics for a single-split ARIMA upload (what a test's completion sends). */
export const ARIMA_TEST_METRICS = {
  timeframe: "1h",
  horizon: 1,
  test_from: 1,
  test_to: 2,
  n: 10,
  mae: 1,
  naive_mae: 1.1,
  skill: 0.09,
  directional_accuracy: 0.5,
};
