// Which symbols come from the local exchange simulator (`npm run demo` sets SIMULATED_SYMBOLS in its own
// env file; deployments never set it), so pages can mark them "simulated" and nobody mistakes them.
export function isSimulated(env: { SIMULATED_SYMBOLS?: string }, symbol: string): boolean {
  const list = env.SIMULATED_SYMBOLS ?? "";
  return list
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .includes(symbol.toUpperCase());
}
