// The API's endpoints, typed by the contract: which path, which audience's token, and the session a
// rejected token ends. Sending, the error shape and reachability are the transport's (transport.ts).
import type {
  AccountUpdateBody,
  AccountUpdated,
  AdminAnswer,
  AdminLoginAnswer,
  AdminRegisterBody,
  AdminTrackRecordAnswer,
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
  StarAnswer,
  StatsAnswer,
  Timeframe,
  TrackRecordAnswer,
  TrainBody,
  Trainer,
  WatchlistAnswer,
  WsTicket,
} from "./api-types";
import { adminToken, signOutAdmin, signOutUser, userToken } from "./session";
import { ApiError, messageOf, type SendOptions, send } from "./transport";

/** Whom a request speaks for: the token it carries, and the session a rejected token ends. */
interface Audience {
  token: () => string | null;
  expired: () => void;
}

const AUDIENCES: Record<"user" | "admin" | "public", Audience> = {
  // A signed-out user is sent to sign in by the page's guard (state/guards.ts), not from here.
  user: { token: () => userToken.value, expired: signOutUser },
  admin: { token: () => adminToken.value, expired: () => signOutAdmin(true) },
  public: { token: () => null, expired: () => {} },
};

interface RequestOptions extends Omit<SendOptions, "token"> {
  /** A 401 here means a wrong current password, not an ended session: do not sign out. */
  ownAuthErrors?: boolean;
}

/** One request for `audience` (the alerts client, alerts-api.ts, shares it). */
export async function request<T>(
  audience: keyof typeof AUDIENCES,
  path: string,
  { ownAuthErrors, ...options }: RequestOptions = {},
): Promise<T> {
  const { token, expired } = AUDIENCES[audience];
  const sent = token();
  try {
    return await send<T>(path, { ...options, token: sent });
  } catch (error) {
    // A token that stops working (expired, revoked) ends that session; login forms handle their own 401.
    if (error instanceof ApiError && error.status === 401 && sent && !ownAuthErrors) expired();
    throw error;
  }
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
  trackRecord: (symbol: string, signal?: AbortSignal) =>
    request<TrackRecordAnswer>("user", `/api/instruments/${enc(symbol)}/track-record`, { signal }),
  /** The ledger's entries whose origin hour lies in [from, to], as a CSV file. */
  ledgerCsv: (symbol: string, from: number, to: number) =>
    request<Blob>(
      "user",
      `/api/instruments/${enc(symbol)}/ledger?${new URLSearchParams({ from: String(from), to: String(to), format: "csv" })}`,
      { as: "blob", headers: { Accept: "text/csv" } },
    ),
  liveTicket: () => request<LiveTicket>("user", "/api/instruments/ws/ticket", { method: "POST" }),
  watchlist: (signal?: AbortSignal) => request<WatchlistAnswer>("user", "/api/watchlist", { signal }),
  star: (symbol: string, starred: boolean) =>
    request<StarAnswer>("user", `/api/watchlist/${enc(symbol)}/star`, { method: starred ? "PUT" : "DELETE" }),
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
  trackRecord: (id: number) =>
    request<AdminTrackRecordAnswer>("admin", `/api/admin/profiles/${id}/track-record`),

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
