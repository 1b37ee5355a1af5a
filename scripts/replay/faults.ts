// Injected failures for the next N API requests, answered the way Binance fails.
import { DEFAULT_HANG_MS, DEFAULT_RETRY_AFTER_SEC } from "./constants";

export const FAULT_KINDS = ["429", "418", "451", "500", "timeout", "malformed"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** How many consecutive API requests get this fault (default 1). */
  times?: number;
  /** Retry-After header of a 429 or 418, in seconds. */
  retryAfterSec?: number;
  /** How long a "timeout" holds the request before answering normally. */
  hangMs?: number;
}

/** What the server does with one request. */
export type FaultAction =
  | { type: "status"; status: number; body: unknown; headers: Record<string, string> }
  | { type: "hang"; ms: number }
  | { type: "malformed" };

/** Validates a fault from JSON (the HTTP control route); throws a readable error. */
export function parseFault(input: unknown): Fault {
  const f = input as Partial<Fault> | null;
  const kind = String(f?.kind ?? "") as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw new Error(`fault kind must be one of ${FAULT_KINDS.join(", ")}`);
  for (const [key, min] of [
    ["times", 1],
    ["retryAfterSec", 0],
    ["hangMs", 0],
  ] as const) {
    const v = f?.[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= min))
      throw new Error(`${key} must be an integer >= ${min}`);
  }
  return { kind, times: f?.times, retryAfterSec: f?.retryAfterSec, hangMs: f?.hangMs };
}

/** A failed answer in Binance's shape: HTTP status, its error code and message. */
const failed = (
  status: number,
  code: number,
  msg: string,
  headers: Record<string, string> = {},
): FaultAction => ({
  type: "status",
  status,
  headers,
  body: { code, msg },
});

export function faultAction(f: Fault): FaultAction {
  const retryAfter = String(f.retryAfterSec ?? DEFAULT_RETRY_AFTER_SEC);
  switch (f.kind) {
    case "429":
      return failed(
        429,
        -1003,
        "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
        { "Retry-After": retryAfter },
      );
    case "418":
      return failed(
        418,
        -1003,
        `Way too much request weight used; IP banned until ${Date.now() + Number(retryAfter) * 1000}. Please use WebSocket Streams for live updates to avoid bans.`,
        { "Retry-After": retryAfter },
      );
    case "451":
      return failed(
        451,
        0,
        "Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. Please contact customer service if you believe you received this message in error.",
      );
    case "500":
      return failed(500, -1001, "Internal error; unable to process your request. Please try again.");
    case "timeout":
      return { type: "hang", ms: f.hangMs ?? DEFAULT_HANG_MS };
    case "malformed":
      return { type: "malformed" };
  }
}

/** A queue: each fault covers its `times` requests, then the next queued fault takes over. */
export class FaultQueue {
  private queue: { fault: Fault; left: number }[] = [];

  add(fault: Fault | null): void {
    if (fault === null) this.queue = [];
    else this.queue.push({ fault, left: Math.max(1, fault.times ?? 1) });
  }

  take(): Fault | null {
    const head = this.queue[0];
    if (!head) return null;
    if (--head.left <= 0) this.queue.shift();
    return head.fault;
  }

  pending(): { kind: FaultKind; left: number }[] {
    return this.queue.map((q) => ({ kind: q.fault.kind, left: q.left }));
  }
}
