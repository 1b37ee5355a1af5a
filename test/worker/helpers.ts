// Small helpers for Worker tests: requests through the real app (Hono's typed client, or raw for what no
// well-formed client would send), and accounts to act as.
import { env, exports } from "cloudflare:workers";
import { type ClientResponse, hc, type InferResponseType } from "hono/client";
import { expect } from "vitest";
import type { Timeframe } from "../../core/candles/timeframes";
import type { AppType } from "../../worker/app";
import type { BackfillParams } from "../../worker/backfill-runner";
import type { ApiErrorBody } from "../../worker/contract";

/** A fresh private client address for each call, so per-address limits only trip on purpose. */
const someAddress = () =>
  `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;

/** Every request enters through the Worker's own fetch handler, as in production. */
const viaWorker = ((input: RequestInfo | URL, init?: RequestInit) =>
  exports.default.fetch(new Request(input, init))) as typeof fetch;

/**
 * The API through Hono's typed client (`api.admin.profiles.$post({ json }, bearer(token))`): requests and
 * answers are typed by the routes' own schemas, so a route whose answer changes breaks these tests at
 * compile time.
 */
export const api = hc<AppType>("http://mm.test", {
  fetch: viaWorker,
  headers: () => ({ "cf-connecting-ip": someAddress() }),
}).api;

/** Request options that sign a typed call in with a bearer token (and any other headers). */
export const bearer = (token: string, headers: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${token}`, ...headers },
});

type Answered = ClientResponse<unknown, number, string>;
type JsonOf<R, S> = R extends { status: S; json(): Promise<infer T> } ? T : never;

/** Checks a typed answer's status and returns its JSON, typed as the route declares it for that status. */
export async function expectJson<R extends Answered, S extends R["status"]>(
  res: R | Promise<R>,
  status: S,
): Promise<JsonOf<R, S>> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as JsonOf<R, S>;
}

export type ApiError = ApiErrorBody["error"];

/** Checks an answer's status and returns its error (`{code, message}`, and any details), the shape every
 * route answers errors in; for statuses a route does not declare too (a rate limit, a body limit). */
export async function expectError(
  res: Answered | Response | Promise<Answered | Response>,
  status: number,
): Promise<ApiError & Record<string, unknown>> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  const body = JSON.parse(text) as ApiErrorBody;
  expect(body.error.code).toBeTypeOf("string");
  return body.error;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  rawBody?: BodyInit;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null when empty or not JSON): unknown, since no route schema types it here. */
  json: unknown;
  /** The error of an error answer, in the shape every route shares. */
  error: ApiError | undefined;
  text: string;
}

/**
 * A request as sent, untyped: for what the typed client cannot or must not send (malformed bodies,
 * unknown fields, raw bytes, bad paths), and for status and header checks.
 */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { "cf-connecting-ip": someAddress(), ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(opts.body);
  }
  const res = await viaWorker(`http://mm.test${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const error = (json as Partial<ApiErrorBody> | null)?.error;
  return { status: res.status, headers: res.headers, json, error, text };
}

/** The user chart route's answer (`GET /api/instruments/:symbol/data/:timeframe`), as it declares it. */
export type ChartAnswer = InferResponseType<
  (typeof api.instruments)[":symbol"]["data"][":timeframe"]["$get"],
  200
>;

/**
 * A user chart request as sent (`query` is "1m?limit=5"), for the caching tests that read its status
 * and headers: its JSON typed as the route's 200 answer when it is one, else null.
 */
export async function rawChart(
  token: string,
  symbol: string,
  query: string,
  headers: Record<string, string> = {},
) {
  const res = await call("GET", `/api/instruments/${symbol}/data/${query}`, { token, headers });
  return { ...res, json: res.status === 200 ? (res.json as ChartAnswer) : null };
}

/** A single-use WebSocket ticket for a signed-in admin or user. */
export async function wsTicket(audience: "admin" | "user", token: string): Promise<string> {
  const asked =
    audience === "admin"
      ? api.admin.ws.ticket.$post({}, bearer(token))
      : api.instruments.ws.ticket.$post({}, bearer(token));
  return (await expectJson(asked, 200)).ticket;
}

/** Every profile as the admin API lists it. */
export const listProfiles = async (admin: string) =>
  expectJson(api.admin.profiles.$get({}, bearer(admin)), 200);

/** One job as the admin API shows it. */
export const getJob = async (admin: string, id: number) =>
  expectJson(api.admin.jobs[":id"].$get({ param: { id: String(id) } }, bearer(admin)), 200);

/** A collect job's parameters, as its BackfillRunner keeps them (the contract says only "an object"). */
export const backfillParams = (job: { params: Record<string, unknown> | null }) =>
  job.params as unknown as BackfillParams;

/** Cancels or retries a job as an admin: the answer, whatever its status. */
export const jobAction = (admin: string, id: number, action: "cancel" | "retry") =>
  api.admin.jobs[":id"][action].$post({ param: { id: String(id) } }, bearer(admin));

/** A new profile for `symbol` on Binance, created by an admin. */
export const addProfile = async (admin: string, symbol: string) =>
  expectJson(api.admin.profiles.$post({ json: { symbol } }, bearer(admin)), 201);

/** A profile's stored 1m candles, their span and gaps, as the admin API reports them. */
export const dataStatus = async (admin: string, profileId: number) =>
  expectJson(
    api.admin.profiles[":id"]["data-status"].$get({ param: { id: String(profileId) } }, bearer(admin)),
    200,
  );

/** A profile's candles through the admin route (trained or not): `limit` periods up to `end`. */
export async function profileCandles(
  admin: string,
  profileId: number,
  query: { limit: number; end?: number },
  timeframe: Timeframe = "1m",
) {
  const q = { limit: String(query.limit), ...(query.end === undefined ? {} : { end: String(query.end) }) };
  const param = { id: String(profileId), timeframe };
  const asked = api.admin.profiles[":id"].data[":timeframe"].$get({ param, query: q }, bearer(admin));
  return (await expectJson(asked, 200)).candles;
}

/** Queues backfills of `days` for `symbols`: the jobs (new, or the open ones returned as they are). */
export async function queueBackfill(admin: string, symbols: string[], days: number) {
  const queued = api.admin.collect.$post({ json: { symbols, days } }, bearer(admin));
  return (await expectJson(queued, 202)).jobs;
}

interface OpenApiOperation {
  summary?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { description: string }>;
}

/** The part of the OpenAPI document the tests read (the document route itself declares no schema). */
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation> | undefined>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

export async function openApiDoc(): Promise<OpenApiDoc> {
  const res = await call("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  return res.json as OpenApiDoc;
}

/** A trainer claims the next queued training job: the job and its profile. */
export const claimJob = async (token: string, worker: string) =>
  expectJson(api.trainer.jobs.claim.$post({ json: { worker_id: worker } }, bearer(token)), 200);

let counter = 0;
export const uniqueEmail = (prefix = "user") =>
  `${prefix}${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;

export async function signup(email = uniqueEmail(), password = "correct horse battery") {
  const { token, user } = await expectJson(api.auth.signup.$post({ json: { email, password } }), 201);
  return { email, password, token, id: user.id };
}

/** The first admin (via the bootstrap token) in this test file's fresh database, logged in. */
export async function bootstrapAdmin(email = "root@example.com", password = "admin password 1") {
  const registered = api.admin.auth.register.$post(
    { json: { email, password, name: "Root" } },
    { headers: { "x-bootstrap-token": env.ADMIN_BOOTSTRAP_TOKEN } },
  );
  const { admin } = await expectJson(registered, 201);
  const login = await expectJson(api.admin.auth.login.$post({ json: { email, password } }), 200);
  return { email, password, token: login.access_token, id: admin.id };
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
