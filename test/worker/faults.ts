// Faults in the real bindings, for Worker tests: wrappers around the real D1 database and R2 bucket,
// installed on the env that the Worker's own handlers (and its Durable Objects) see, that make chosen
// statements or object operations fail (before they run, or after: written, but the caller is told it
// failed) or wait until the test releases them. Everything else passes through to the real binding.
import { env } from "cloudflare:workers";

type When = "before" | "after";
type R2Op = "get" | "put" | "head" | "delete" | "list";

interface Rule {
  match: (what: string) => boolean;
  /** Failures left; Infinity for every match. */
  times: number;
  when: When;
  /** Matches to let through before failing. */
  skip: number;
  /** Fail every `every`-th match only. */
  every: number;
  hit: number;
  failed: number;
}

interface Hold {
  match: (what: string) => boolean;
  released: Promise<void>;
  seen: number;
}

const d1Rules: Rule[] = [];
const delays: { match: (what: string) => boolean; ms: number }[] = [];
const r2Rules = new Map<R2Op, Rule[]>();
const holds: Hold[] = [];

/** Whether `err` (or what it wraps: drizzle wraps a driver's error as its cause) is an injected fault. */
export const isInjected = (err: unknown): boolean =>
  err instanceof Error && (err.message.includes("injected fault") || isInjected(err.cause));

/** What the real D1 binding throws: the message starts with D1_. */
export const d1Failure = () => new Error("D1_ERROR: injected fault: the database is unavailable");
export const r2Failure = (op: string) =>
  new Error(`${op}: injected fault: We encountered an internal error (10001)`);

function due(rules: Rule[] | undefined, what: string, when: When): boolean {
  for (const r of rules ?? []) {
    if (r.when !== when || r.times <= 0 || !r.match(what)) continue;
    r.hit++;
    if (r.hit <= r.skip || (r.hit - r.skip) % r.every !== 0) continue;
    r.times--;
    r.failed++;
    return true;
  }
  return false;
}

async function held(what: string) {
  for (const h of holds) {
    if (!h.match(what)) continue;
    h.seen++;
    await h.released;
  }
}

/** Runs `run` as the real binding would, failing or waiting where a rule says so. */
async function guarded<T>(rules: Rule[] | undefined, what: string, fail: () => Error, run: () => Promise<T>) {
  await held(what);
  if (due(rules, what, "before")) throw fail();
  const out = await run();
  // The answer comes late, as a slow database's would: the wait is the calling request's own.
  const late = delays.find((d) => d.match(what));
  if (late) await new Promise((r) => setTimeout(r, late.ms));
  if (due(rules, what, "after")) throw fail();
  return out;
}

const realStatements = new WeakMap<object, D1PreparedStatement>();
const sqlOf = new WeakMap<object, string>();

function statement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
  const run = <T>(f: () => Promise<T>) => guarded(d1Rules, sql, d1Failure, f);
  const s = {
    bind: (...values: unknown[]) => statement(real.bind(...values), sql),
    first: (col?: string) => run(() => (col === undefined ? real.first() : real.first(col))),
    all: () => run(() => real.all()),
    run: () => run(() => real.run()),
    raw: (opts?: { columnNames?: boolean }) => run(() => real.raw(opts as { columnNames: true })),
  };
  realStatements.set(s, real);
  sqlOf.set(s, sql);
  return s as unknown as D1PreparedStatement;
}

function database(real: D1Database): D1Database {
  return {
    prepare: (sql: string) => statement(real.prepare(sql), sql),
    batch: (list: D1PreparedStatement[]) => {
      const sql = list.map((s) => sqlOf.get(s) ?? "").join(";\n");
      return guarded(d1Rules, sql, d1Failure, () => real.batch(list.map((s) => realStatements.get(s) ?? s)));
    },
    exec: (q: string) => guarded(d1Rules, q, d1Failure, () => real.exec(q)),
    withSession: (c?: string) => real.withSession(c),
    dump: () => real.dump(),
  } as D1Database;
}

function bucket(real: R2Bucket): R2Bucket {
  const op =
    <A extends unknown[], T>(name: R2Op, f: (...args: A) => Promise<T>) =>
    (...args: A) =>
      guarded(
        r2Rules.get(name),
        `${name} ${String(args[0] ?? "")}`,
        () => r2Failure(name),
        () => f(...args),
      );
  return new Proxy(real, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (typeof v !== "function") return v;
      const f = (v as (...a: unknown[]) => Promise<unknown>).bind(target);
      return ["get", "put", "head", "delete", "list"].includes(prop as string) ? op(prop as R2Op, f) : f;
    },
  });
}

const asRegExp = (m: RegExp) => (what: string) => m.test(what);
const e = env as unknown as { DB: D1Database; BUCKET: R2Bucket };

export interface FaultOptions {
  /** How many matches fail (default 1; Infinity: all). */
  times?: number;
  /** "before": nothing is done; "after": done, then the caller is told it failed. */
  when?: When;
  /** Matches to let through first. */
  skip?: number;
  /** Fail every n-th match only (default 1: each). */
  every?: number;
}

/** Installs the wrappers; `restore()` puts the real bindings back and drops every rule. */
export function installFaults() {
  const real = { DB: e.DB, BUCKET: e.BUCKET };
  e.DB = database(real.DB);
  e.BUCKET = bucket(real.BUCKET);
  const rule = (match: RegExp, o: FaultOptions = {}): Rule => ({
    match: asRegExp(match),
    times: o.times ?? 1,
    when: o.when ?? "before",
    skip: o.skip ?? 0,
    every: o.every ?? 1,
    hit: 0,
    failed: 0,
  });
  return {
    /** D1 calls whose SQL matches fail as the binding fails; returns the rule (`hit`: matches, `failed`). */
    failD1(match: RegExp, o?: FaultOptions) {
      const r = rule(match, o);
      d1Rules.push(r);
      return r;
    },
    /** R2 `op` calls whose key matches fail. */
    failR2(op: R2Op, match: RegExp, o?: FaultOptions) {
      const r = rule(match, o);
      r2Rules.set(op, [...(r2Rules.get(op) ?? []), r]);
      return r;
    },
    /** D1 calls whose SQL (or R2 calls whose "op key") matches answer `ms` late (they run at once). */
    slow(match: RegExp, ms: number) {
      delays.push({ match: asRegExp(match), ms });
    },
    /** D1 calls whose SQL (or R2 calls whose "op key") matches wait until `release()`. */
    hold(match: RegExp) {
      let release = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      const h: Hold = { match: asRegExp(match), released, seen: 0 };
      holds.push(h);
      return {
        release,
        /** Calls caught so far. */
        seen: () => h.seen,
      };
    },
    restore() {
      e.DB = real.DB;
      e.BUCKET = real.BUCKET;
      d1Rules.length = 0;
      r2Rules.clear();
      delays.length = 0;
      for (const h of holds.splice(0)) h.match = () => false;
    },
  };
}

export type Faults = ReturnType<typeof installFaults>;
