// The trainer's side of /api/trainer/*: short-lived trainer tokens minted from TRAINER_TOKEN (or, in a
// fleet container, the token the fleet issued, renewed before it runs out), and one method per
// endpoint. Errors carry the Worker's error code so the loop can tell a lost lease apart.
import { decodeJwt, SignJWT } from "jose";
import { decodeCandles } from "../core/candles/codec";
import type { Candle } from "../core/candles/types";
import type {
  ApiErrorBody,
  ClaimBody,
  Claimed,
  CompleteBody,
  Completed,
  FailBody,
  ProgressAnswer,
  ProgressBody,
  ReleaseBody,
  RenewedToken,
  TrainerCandlesQuery,
} from "../worker/contract";

const TOKEN_TTL_SECONDS = 10 * 60;
/** A fleet token is renewed once less than this is left (the Worker issues them for 20 minutes). */
const RENEW_BEFORE_SECONDS = 10 * 60;
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

async function apiError(res: Response) {
  const err: Partial<ApiErrorBody> | null = await res.json().catch(() => null);
  return new WorkerApiError(
    res.status,
    err?.error?.code ?? "http_error",
    err?.error?.message ?? `HTTP ${res.status}`,
  );
}

/** The JSON a route answered, typed by the contract (the Worker's response schema for that route). */
const answer = <T>(res: Response): Promise<T> => res.json();

/** How the trainer proves who it is: the shared secret it mints tokens from, or a fleet-issued token. */
export type Credential = { secret: string } | { accessToken: string };

export class TrainerClient {
  private token: { value: string; expires: number } | null = null;
  readonly workerId: string;

  constructor(
    readonly baseUrl: string,
    private readonly credential: Credential,
    workerId: string,
  ) {
    if ("secret" in credential) {
      if (credential.secret.length < 32)
        throw new Error("TRAINER_TOKEN must be set (the Worker's secret, 32+ characters)");
      this.workerId = workerId;
    } else {
      // A fleet instance is its token's subject; its lifetime is the token's.
      const { sub, exp } = decodeJwt(credential.accessToken);
      if (!sub || !exp) throw new Error("TRAINER_ACCESS_TOKEN is not a trainer token");
      this.workerId = sub;
      this.token = { value: credential.accessToken, expires: exp };
    }
  }

  private async bearer(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if ("accessToken" in this.credential) {
      if (this.token!.expires - now < RENEW_BEFORE_SECONDS) await this.renew();
      return this.token!.value;
    }
    if (!this.token || this.token.expires - now < 60) {
      const value = await new SignJWT({ ver: 0 })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(this.workerId)
        .setIssuer("moneymoney")
        .setAudience("trainer")
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_TTL_SECONDS)
        .sign(new TextEncoder().encode(this.credential.secret));
      this.token = { value, expires: now + TOKEN_TTL_SECONDS };
    }
    return this.token.value;
  }

  /** A fleet token for a fresh one, while the fleet still runs this instance (else 401 instance_stopped). */
  private async renew() {
    const res = await this.fetchWithRetry(`${this.baseUrl}/api/trainer/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token!.value}` },
    });
    if (res.status >= 400) throw await apiError(res);
    const { token, expires_at }: RenewedToken = await res.json();
    this.token = { value: token, expires: Math.floor(Date.parse(expires_at) / 1000) };
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
    if (res.status >= 400) throw await apiError(res);
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

  async claim(): Promise<Claimed | null> {
    const body: ClaimBody = { worker_id: this.workerId };
    const res = await this.request("POST", "/api/trainer/jobs/claim", { json: body });
    return res.status === 204 ? null : answer<Claimed>(res);
  }

  /** Reports progress; returns the job's status ("cancelled" means stop). */
  async progress(jobId: number, progress: number, message: string): Promise<ProgressAnswer["status"]> {
    const body: ProgressBody = { worker_id: this.workerId, progress, message };
    const res = await this.request("POST", `/api/trainer/jobs/${jobId}/progress`, { json: body });
    return (await answer<ProgressAnswer>(res)).status;
  }

  async candles(
    jobId: number,
    timeframe: TrainerCandlesQuery["timeframe"],
    limit: number,
  ): Promise<Candle[]> {
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

  async complete(jobId: number, body: Omit<CompleteBody, "worker_id">): Promise<Completed> {
    const json: CompleteBody = { worker_id: this.workerId, ...body };
    const res = await this.request("POST", `/api/trainer/jobs/${jobId}/complete`, { json });
    return answer<Completed>(res);
  }

  async fail(jobId: number, error: string) {
    const json: FailBody = { worker_id: this.workerId, error: error.slice(0, 2000) };
    await this.request("POST", `/api/trainer/jobs/${jobId}/fail`, { json });
  }

  /** Gives the job back to the queue at once (this trainer is stopping). */
  async release(jobId: number) {
    const json: ReleaseBody = { worker_id: this.workerId };
    await this.request("POST", `/api/trainer/jobs/${jobId}/release`, { json });
  }
}
