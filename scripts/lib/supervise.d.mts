// Types of supervise.mjs (plain JavaScript so that scripts/dev.mjs runs on bare Node).
export interface Supervised {
  readonly pid: number | null;
  stop(signal?: NodeJS.Signals): void;
}
export function supervise(
  name: string,
  cmd: string,
  args: string[],
  opts?: { cwd?: string; env?: NodeJS.ProcessEnv; log?: string; onLine?: (line: string) => void },
): Supervised;
export function cronTicker(url: string): () => void;
