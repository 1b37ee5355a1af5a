// The trainer's side of /api/trainer/*: short-lived trainer tokens minted from TRAINER_TOKEN, and one
// method per endpoint. Errors carry the Worker's error code so the loop can tell a lost lease apart.
import { SignJWT } from "jose";
import { decodeCandles } from "../core/candles/codec";
import type { Candle } from "../core/candles/types";

const TOKEN_TTL_SECONDS = 10 * 60;
const NETWORK_RETRIES = 4;
const NETWORK_RETRY_BASE_MS = 1_000;

export class WorkerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ClaimedJob {
  job: { id: number; model_type: string; attempts: number; profile_id: number };
  profile: { id: number; symbol: string; exchange: string };
  lease_seconds: number;
}

export class TrainerClient {
  private token: { value: string; expires: number } | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly secret: string,
    readonly workerId: string,
  ) {
    if (secret.length < 32)
      throw new Error("TRAINER_TOKEN must be set (the Worker's secret, 32+ characters)");
  }

  private async bearer(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (!this.token || this.token.expires - now < 60) {
      const value = await new SignJWT({ ver: 0 })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(this.workerId)
        .setIssuer("moneymoney")
        .setAudience("trainer")
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_TTL_SECONDS)
        .sign(new TextEncoder().encode(this.secret));
      this.token = { value, expires: now + TOKEN_TTL_SECONDS };
    }
    return this.token.value;
  }

  private async request(
    method: string,
    path: string,
    init: { json?: unknown; bytes?: Uint8Array; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.bearer()}`,
      ...init.headers,
    };
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.bytes) {
      headers["content-type"] = "application/octet-stream";
      body = init.bytes as Uint8Array<ArrayBuffer>;
    }
    const res = await this.fetchWithRetry(`${this.baseUrl}${path}`, { method, headers, body });
    if (res.status >= 400) {
      const err = (await res.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      throw new WorkerApiError(
        res.status,
        err?.error?.code ?? "http_error",
        err?.error?.message ?? `HTTP ${res.status}`,
      );
    }
    return res;
  }

  /** Network failures (a Worker restarting, a dropped connection) are retried; HTTP answers are not. */
  private async fetchWithRetry(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(url, init);
      } catch (err) {
        if (attempt >= NETWORK_RETRIES) throw err;
        console.warn(
          `${new Date().toISOString()} ${init.method} ${new URL(url).pathname}: ${(err as Error).message}; retrying`,
        );
        await new Promise((r) => setTimeout(r, NETWORK_RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }

  async claim(): Promise<ClaimedJob | null> {
    const res = await this.request("POST", "/api/trainer/jobs/claim", { json: { worker_id: this.workerId } });
    return res.status === 204 ? null : ((await res.json()) as ClaimedJob);
  }

  /** Reports progress; returns the job's status ("cancelled" means stop). */
  async progress(jobId: number, progress: number, message: string): Promise<string> {
    const res = await this.request("POST", `/api/trainer/jobs/${jobId}/progress`, {
      json: { worker_id: this.workerId, progress, message },
    });
    return ((await res.json()) as { status: string }).status;
  }

  async candles(jobId: number, timeframe: string, limit: number): Promise<Candle[]> {
    const res = await this.request(
      "GET",
      `/api/trainer/jobs/${jobId}/candles?timeframe=${timeframe}&limit=${limit}`,
    );
    return decodeCandles(new Uint8Array(await res.arrayBuffer()));
  }

  async upload(jobId: number, bytes: Uint8Array, sha256: string) {
    await this.request(
      "PUT",
      `/api/trainer/jobs/${jobId}/artifact?worker_id=${encodeURIComponent(this.workerId)}`,
      {
        bytes,
        headers: { "x-artifact-sha256": sha256 },
      },
    );
  }

  async complete(
    jobId: number,
    body: {
      artifact_sha256: string;
      trained_on: unknown;
      parameters: unknown;
      metrics: unknown;
      evaluation?: { times: number[]; mean: number[]; sigma: number[] };
    },
  ) {
    const res = await this.request("POST", `/api/trainer/jobs/${jobId}/complete`, {
      json: { worker_id: this.workerId, ...body },
    });
    return (await res.json()) as { model: { version: number } };
  }

  async fail(jobId: number, error: string) {
    await this.request("POST", `/api/trainer/jobs/${jobId}/fail`, {
      json: { worker_id: this.workerId, error: error.slice(0, 2000) },
    });
  }
}
