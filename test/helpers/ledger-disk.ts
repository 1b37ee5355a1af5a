// The ledger as an outsider checks it, and as an attacker with the disk would change it: the verifier
// CLI run against a local Worker, and an entry's stored bytes edited in the Durable Object's SQLite file
// under a `wrangler dev --persist-to` state folder.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `npm run ledger:verify` against `url` as `user`: its exit status and what it printed. */
export function verifyCli(url: string, symbol: string, user: { email: string; password: string }) {
  const run = spawnSync("npx", ["tsx", "scripts/ledger-verify.ts", "--url", url, "--symbol", symbol], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, MONEYMONEY_EMAIL: user.email, MONEYMONEY_PASSWORD: user.password },
  });
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** The InstrumentLedger SQLite files of a persisted local state folder. */
function ledgerFiles(state: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.includes("InstrumentLedger") && p.endsWith(".sqlite")) out.push(p);
    }
  };
  walk(state);
  return out;
}

/** Multiplies the first forecast value of `symbol`'s first ledger entry by 1.01, in place on disk. */
export function editLedgerEntry(state: string, symbol: string) {
  for (const file of ledgerFiles(state)) {
    const db = new DatabaseSync(file);
    try {
      const row = db.prepare("SELECT body FROM entries WHERE seq = 1").get() as { body: string } | undefined;
      if (!row) continue;
      const entry = JSON.parse(row.body);
      if (entry.symbol !== symbol) continue;
      entry.forecast[0].value *= 1.01;
      db.prepare("UPDATE entries SET body = ? WHERE seq = 1").run(JSON.stringify(entry));
      return;
    } finally {
      db.close();
    }
  }
  throw new Error(`no ledger of ${symbol} under ${state}`);
}
