// Counts what an invocation asks of D1: D1 allows 1,000 queries per Worker invocation (Workers Paid; 50
// on Free), listed as a subrequest limit, so a batch is one call; the statements (a batch's each) are
// counted too, the stricter reading. The collection consumer reports both per shard; tests and the
// benchmark check them.
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
  /** Calls to D1: a statement run alone, a batch, an exec. */
  calls(): number;
  /** Statements run, each statement of a batch counted. */
  statements(): number;
}

/** A D1Database that counts what runs through it (sessions and dumps pass through uncounted). */
export function countQueries(d1: D1Database): CountedD1 {
  let calls = 0;
  let statements = 0;
  const add = (k: number) => {
    calls += 1;
    statements += k;
  };
  const counted: D1Database = {
    prepare: (query) => watch(d1.prepare(query), add),
    batch: (list) => {
      add(list.length);
      return d1.batch(list);
    },
    exec: (query) => {
      add(1);
      return d1.exec(query);
    },
    withSession: (constraint) => d1.withSession(constraint),
    dump: () => d1.dump(),
  };
  return { d1: counted, calls: () => calls, statements: () => statements };
}
