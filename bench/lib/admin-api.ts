// The admin API as a bench sees it: bootstrap or log in, profiles, backfill jobs, data status, charts.
import { FINISHED_JOB_STATUSES } from "../../core/jobs";
import type {
  AdminLoginAnswer,
  AdminRegisterBody,
  CollectBody,
  Credentials,
  DataStatus,
  Job,
  Profile,
  ProfileCreateBody,
  QueuedJobs,
} from "../../worker/contract";

export interface AdminApi {
  base: string;
  /** the admin access token (a bearer token) */
  token: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** The id of the profile of `symbol`, created when missing. */
  profileId(symbol: string): Promise<number>;
  /** Starts a backfill of `days` for `symbol`; the id of its job. */
  collect(symbol: string, days: number): Promise<number>;
  job(id: number): Promise<Job>;
  dataStatus(profileId: number): Promise<DataStatus>;
}

const FINAL: ReadonlySet<Job["status"]> = new Set(FINISHED_JOB_STATUSES);
const MAX_CONNECTION_ERRORS = 40;

async function answer<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

const jsonPost = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/**
 * Logs in as the bench admin, registering it first with the bootstrap token when no admin exists
 * yet (a reused state folder already has it).
 */
export async function adminLogin(
  base: string,
  bootstrapToken: string,
  who: AdminRegisterBody = {
    email: "bench-admin@example.com",
    password: "bench admin password 123",
    name: "Bench",
  },
): Promise<AdminApi> {
  const credentials: Credentials = { email: who.email, password: who.password };
  const login = () => fetch(`${base}/api/admin/auth/login`, jsonPost(credentials));
  let res = await login();
  if (res.status === 401) {
    await answer(
      await fetch(`${base}/api/admin/auth/register`, jsonPost(who, { "X-Bootstrap-Token": bootstrapToken })),
      "admin register",
    );
    res = await login();
  }
  const { access_token } = await answer<AdminLoginAnswer>(res, "admin login");
  const auth = { authorization: `Bearer ${access_token}` };
  const get = async <T>(p: string) => answer<T>(await fetch(`${base}${p}`, { headers: auth }), `GET ${p}`);
  const post = async <T>(p: string, body: unknown) =>
    answer<T>(await fetch(`${base}${p}`, jsonPost(body, auth)), `POST ${p}`);
  return {
    base,
    token: access_token,
    get,
    post,
    async profileId(symbol) {
      const list = await get<Profile[]>("/api/admin/profiles");
      const found = list.find((p) => p.symbol === symbol);
      if (found) return found.id;
      const body: ProfileCreateBody = { symbol };
      return (await post<Profile>("/api/admin/profiles", body)).id;
    },
    async collect(symbol, days) {
      const body: CollectBody = { symbols: [symbol], interval: "1m", days };
      const { jobs } = await post<QueuedJobs>("/api/admin/collect", body);
      return jobs[0].id;
    },
    job: (id) => get<Job>(`/api/admin/jobs/${id}`),
    dataStatus: (id) => get<DataStatus>(`/api/admin/profiles/${id}/data-status`),
  };
}

export interface JobSample {
  /** ms since the wait started */
  at: number;
  status: Job["status"];
  progress: number;
  message: string | null;
  updatedAt: string;
}

/**
 * Polls a job every `pollMs` until it ends; returns the final job and every change seen (a slice of a
 * backfill ends with a progress report, so the changes mark the slices).
 */
export async function waitForJob(api: AdminApi, id: number, pollMs: number, timeoutMs: number) {
  const t0 = performance.now();
  const samples: JobSample[] = [];
  // wrangler dev sometimes drops a connection while the runtime resets the isolate (the alarm is then
  // retried): such a poll is counted and repeated, not fatal.
  let connectionErrors = 0;
  for (;;) {
    let job: Job;
    try {
      job = await api.job(id);
    } catch (e) {
      if (!(e instanceof TypeError) || ++connectionErrors > MAX_CONNECTION_ERRORS) throw e;
      await new Promise((r) => setTimeout(r, pollMs));
      continue;
    }
    const last = samples[samples.length - 1];
    if (!last || last.updatedAt !== job.updated_at || last.status !== job.status) {
      samples.push({
        at: performance.now() - t0,
        status: job.status,
        progress: job.progress,
        message: job.message,
        updatedAt: job.updated_at,
      });
    }
    if (FINAL.has(job.status)) return { job, samples, connectionErrors };
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
