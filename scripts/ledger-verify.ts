// `npm run ledger:verify -- --url URL --symbol SYM`: re-checks an instrument's forecast ledger through the
// public API (scripts/ledger/verify.ts). Signs in with --token (or MONEYMONEY_TOKEN), or --email and
// --password (or MONEYMONEY_EMAIL / MONEYMONEY_PASSWORD). --expect-head SEQ:HASH also checks that a head
// saved earlier is still in the chain. Exits 0 when everything matches, 1 on any mismatch, 2 when it
// could not check (bad arguments, a refused sign-in, an unreachable server).
import { parseArgs } from "node:util";
import { verifyLedger } from "./ledger/verify";

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json().catch(() => null)) as { token?: string; error?: { message: string } } | null;
  if (!res.ok || !body?.token)
    throw new Error(`sign-in refused: ${res.status} ${body?.error?.message ?? ""}`);
  return body.token;
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      symbol: { type: "string" },
      token: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      "expect-head": { type: "string" },
    },
  });
  const url = values.url?.replace(/\/$/, "");
  const symbol = values.symbol?.toUpperCase();
  if (!url || !symbol)
    throw new Error(
      "usage: npm run ledger:verify -- --url URL --symbol SYM [--token T | --email E --password P] [--expect-head SEQ:HASH]",
    );
  const email = values.email ?? process.env.MONEYMONEY_EMAIL;
  const password = values.password ?? process.env.MONEYMONEY_PASSWORD;
  const token =
    values.token ??
    process.env.MONEYMONEY_TOKEN ??
    (email && password ? await signIn(url, email, password) : null);
  if (!token) throw new Error("sign in with --token (or MONEYMONEY_TOKEN), or --email and --password");
  const report = await verifyLedger({ url, symbol, token, expectHead: values["expect-head"] });
  const head = report.head ? `${report.head.seq}:${report.head.hash}` : "none";
  console.log(`${symbol}: ${report.entries} entries, ${report.scores} scores re-computed; head ${head}`);
  for (const p of report.problems) console.log(`MISMATCH ${p}`);
  if (report.problems.length) {
    console.log(`${report.problems.length} mismatch(es): the ledger does not verify`);
    process.exit(1);
  }
  console.log("the chain, every score and the track record verify");
}

main().catch((e: Error) => {
  console.error(`ledger:verify: ${e.message}`);
  process.exit(2);
});
