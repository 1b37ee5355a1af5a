// Stands in, in the Worker bundle only (wrangler.toml [alias]), for modules ccxt imports but the Worker
// never runs: "undici" (ccxt's Node fetch path, skipped because createExchange supplies its own fetch;
// bundling it fails on node:sqlite) and "protobufjs/minimal" (a peer dependency of the dydx and mexc
// code inside ccxt's base class, not installed and never loaded for Binance).
export default {};
