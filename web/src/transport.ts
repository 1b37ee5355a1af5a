// Fetch for /api/*: JSON in and out, the contract's {"error": {code, message}} shape read into an
// ApiError, and whether the last request reached the server. It knows no session and no route: the
// caller gives the token, and what a rejected token means is the caller's to decide (api.ts).
import { signal } from "@preact/signals";

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

export interface SendOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as `Authorization: Bearer ...` when set. */
  token?: string | null;
  /** "blob": the answer's bytes as they came (a file to save), not parsed as JSON. */
  as?: "json" | "blob";
}

/** When a request last reached the server (any answer below 500) and when one last could not (ms). */
export const reach = signal<{ okAt: number | null; failAt: number | null }>({ okAt: null, failAt: null });

function noteReach(reached: boolean): void {
  const now = Date.now();
  reach.value = reached ? { ...reach.value, okAt: now } : { ...reach.value, failAt: now };
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

/** Sends one request; resolves to the parsed JSON answer (undefined for 204) or the bytes, throws ApiError. */
export async function send<T>(path: string, options: SendOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
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
    noteReach(false);
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  noteReach(response.status < 500);
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  if (options.as === "blob") return (await response.blob()) as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
