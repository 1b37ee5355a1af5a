// Writes core/ccxt-exchanges.ts from the installed ccxt's list of exchange ids.
import { writeFileSync } from "node:fs";
import path from "node:path";
import ccxt from "ccxt";

const file = path.resolve(import.meta.dirname, "../core/ccxt-exchanges.ts");
const body = `// Every exchange id ccxt ${ccxt.version} knows, kept as data so the Worker need not import all of ccxt.
// Regenerate with: node scripts/gen-ccxt-exchanges.mjs (a test fails when it drifts from ccxt.exchanges).
export const CCXT_EXCHANGE_IDS: readonly string[] = ${JSON.stringify(ccxt.exchanges)};

const known = new Set(CCXT_EXCHANGE_IDS);
export const isKnownCcxtExchange = (id: string) => known.has(id);
`;
writeFileSync(file, body);
