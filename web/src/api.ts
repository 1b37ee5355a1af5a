// Typed fetch wrapper for /api/*: bearer tokens, the {"error": {code, message}} shape, 401 handling.
import type {
  AccountUpdateBody,
  AccountUpdated,
  AdminAnswer,
  AdminLoginAnswer,
  AdminRegisterBody,
  AuthAnswer,
  BacktestAnswer,
  CandlesAnswer,
  CollectBody,
  DataStatus,
  Instrument,
  Job,
  JobStatus,
  LiveTicket,
  MeAnswer,
  ModelRecord,
  ModelType,
  PredictionsAnswer,
  Profile,
  ProfileCreateBody,
  ProfilePatchBody,
  QueuedJobs,
  SignalAnswer,
  SignalHistoryAnswer,
  StatsAnswer,
  Timeframe,
  TrainBody,
  Trainer,
  WsTicket,
} from "./api-types";
import { noteRequest } from "./state/connection";
import { authUrl, navigate } from "./state/router";
import { adminToken, signOutAdmin, signOutUser, userToken } from "./state/session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Audience = "user" | "admin" | "public";

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 here means a wrong current password, not an ended session: do not sign out. */
  ownAuthErrors?: boolean;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You are not allowed to do this.",
  404: "Not found.",
  429: "Too many attempts. Please wait a little and try again.",
  500: "The server hit an error. Please try again shortly.",
  502: "The server is unreachable right now. Please try again shortly.",
  503: "The service is temporarily unavailable. Please try again shortly.",
};

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = FALLBACK_MESSAGES[response.status] ?? `Request failed (HTTP ${response.status}).`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.code) code = body.error.code;
    if (body?.error?.message) message = body.error.message;
  } catch {
    // not JSON (a proxy's HTML page, an empty body): keep the fallback text
  }
  return new ApiError(response.status, code, message);
}

async function request<T>(audience: Audience, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const token = audience === "user" ? userToken.value : audience === "admin" ? adminToken.value : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    noteRequest(false);
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  noteRequest(response.status < 500);
  if (!response.ok) {
    const error = await errorFrom(response);
    // A token that stops working (expired, revoked) ends that session; login forms handle their own 401.
    if (response.status === 401 && token && !options.ownAuthErrors) {
      if (audience === "user") {
        signOutUser();
        navigate(authUrl(), true);
      } else if (audience === "admin") {
        signOutAdmin(true);
      }
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

export const api = {
  signup: (email: string, password: string) =>
    request<AuthAnswer>("public", "/api/auth/signup", { method: "POST", body: { email, password } }),
  login: (email: string, password: string) =>
    request<AuthAnswer>("public", "/api/auth/login", { method: "POST", body: { email, password } }),
  me: () => request<MeAnswer>("user", "/api/auth/me"),
  updateProfile: (body: AccountUpdateBody) =>
    request<AccountUpdated>("user", "/api/profile/update", { method: "PUT", body, ownAuthErrors: true }),
  deleteAccount: (current_password: string) =>
    request<void>("user", "/api/profile/delete", {
      method: "DELETE",
      body: { current_password },
      ownAuthErrors: true,
    }),

  instruments: (signal?: AbortSignal) => request<Instrument[]>("user", "/api/instruments", { signal }),
  candles: (symbol: string, tf: Timeframe, limit: number, end?: number, signal?: AbortSignal) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (end !== undefined) query.set("end", String(end));
    return request<CandlesAnswer>("user", `/api/instruments/${enc(symbol)}/data/${enc(tf)}?${query}`, {
      signal,
    });
  },
  predictions: (symbol: string, signal?: AbortSignal) =>
    request<PredictionsAnswer>("user", `/api/instruments/${enc(symbol)}/predictions`, { signal }),
  signal: (symbol: string, signal?: AbortSignal) =>
    request<SignalAnswer>("user", `/api/instruments/${enc(symbol)}/signals`, { signal }),
  stats: (symbol: string, signal?: AbortSignal) =>
    request<StatsAnswer>("user", `/api/instruments/${enc(symbol)}/stats`, { signal }),
  backtest: (symbol: string, signal?: AbortSignal) =>
    request<BacktestAnswer>("user", `/api/instruments/${enc(symbol)}/backtest`, { signal }),
  signalHistory: (symbol: string, from: number, to: number, signal?: AbortSignal) =>
    request<SignalHistoryAnswer>(
      "user",
      `/api/instruments/${enc(symbol)}/signals/history?${new URLSearchParams({ from: String(from), to: String(to) })}`,
      { signal },
    ),
  liveTicket: () => request<LiveTicket>("user", "/api/instruments/ws/ticket", { method: "POST" }),
};

export const adminApi = {
  login: (email: string, password: string) =>
    request<AdminLoginAnswer>("public", "/api/admin/auth/login", {
      method: "POST",
      body: { email, password },
    }),
  registerFirst: (body: AdminRegisterBody, bootstrapToken: string) =>
    request<AdminAnswer>("public", "/api/admin/auth/register", {
      method: "POST",
      body,
      headers: { "X-Bootstrap-Token": bootstrapToken },
    }),
  registerAnother: (body: AdminRegisterBody) =>
    request<AdminAnswer>("admin", "/api/admin/auth/register", { method: "POST", body }),

  profiles: () => request<Profile[]>("admin", "/api/admin/profiles"),
  createProfile: (body: ProfileCreateBody) =>
    request<Profile>("admin", "/api/admin/profiles", { method: "POST", body }),
  updateProfile: (id: number, body: ProfilePatchBody) =>
    request<Profile>("admin", `/api/admin/profiles/${id}`, { method: "PATCH", body }),
  deleteProfile: (id: number) => request<void>("admin", `/api/admin/profiles/${id}`, { method: "DELETE" }),
  dataStatus: (id: number) => request<DataStatus>("admin", `/api/admin/profiles/${id}/data-status`),

  collect: (symbols: string[], days: number) =>
    request<QueuedJobs>("admin", "/api/admin/collect", {
      method: "POST",
      body: { symbols, interval: "1m", days } satisfies CollectBody,
    }),
  train: (profile_ids: number[], model_types: ModelType[]) =>
    request<QueuedJobs>("admin", "/api/admin/train-models", {
      method: "POST",
      body: { profile_ids, model_types } satisfies TrainBody,
    }),
  /** Newest first; `before` (a job id) asks for the page of older jobs after it. */
  jobs: (limit: number, before?: number, status?: JobStatus) =>
    request<Job[]>(
      "admin",
      `/api/admin/jobs?limit=${limit}${before === undefined ? "" : `&before=${before}`}${status ? `&status=${status}` : ""}`,
    ),
  job: (id: number) => request<Job>("admin", `/api/admin/jobs/${id}`),
  trainers: () => request<Trainer[]>("admin", "/api/admin/trainers"),
  cancelJob: (id: number) => request<Job>("admin", `/api/admin/jobs/${id}/cancel`, { method: "POST" }),
  retryJob: (id: number) => request<Job>("admin", `/api/admin/jobs/${id}/retry`, { method: "POST" }),
  models: (profileId?: number) =>
    request<ModelRecord[]>(
      "admin",
      profileId === undefined ? "/api/admin/models" : `/api/admin/models?profile_id=${profileId}`,
    ),
  wsTicket: () => request<WsTicket>("admin", "/api/admin/ws/ticket", { method: "POST" }),
};

/** Profile changes: the server's words when it gave any, else what a 401/403/409 most likely means. */
export function accountError(error: unknown): string {
  if (error instanceof ApiError && error.code === `http_${error.status}`) {
    if (error.status === 401 || error.status === 403) return "Your current password is not correct.";
    if (error.status === 409) return "Another account already uses this email.";
  }
  return messageOf(error);
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
