// Counts the D1 statements an invocation runs: D1 allows 1,000 queries per Worker invocation (Workers
// Paid; 50 on Free), and a statement counts once whether it runs alone or inside a batch. The collection
// consumer reports its count per shard; tests and the benchmark check it.
type Exec = "first" | "all" | "run" | "raw";
const EXEC: Exec[] = ["first", "all", "run", "raw"];

function watch(stmt: D1PreparedStatement, add: (n: number) => void): D1PreparedStatement {
  const s = stmt as unknown as Record<string, (...args: unknown[]) => unknown>;
  const bind = stmt.bind.bind(stmt);
  s.bind = (...values: unknown[]) => watch(bind(...values), add);
  for (const name of EXEC) {
    const run = s[name].bind(stmt);
    s[name] = (...args: unknown[]) => {
      add(1);
      return run(...args);
    };
  }
  return stmt;
}

export interface CountedD1 {
  d1: D1Database;
  queries(): number;
}

/** A D1Database that counts what runs through it (sessions and dumps pass through uncounted). */
export function countQueries(d1: D1Database): CountedD1 {
  let n = 0;
  const add = (k: number) => {
    n += k;
  };
  const counted: D1Database = {
    prepare: (query) => watch(d1.prepare(query), add),
    batch: (statements) => {
      add(statements.length);
      return d1.batch(statements);
    },
    exec: (query) => {
      add(1);
      return d1.exec(query);
    },
    withSession: (constraint) => d1.withSession(constraint),
    dump: () => d1.dump(),
  };
  return { d1: counted, queries: () => n };
}
