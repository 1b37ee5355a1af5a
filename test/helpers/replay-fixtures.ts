// The replay tests' kline folder: the committed fixture files plus the gzip ones, packed here from
// their committed plain-text sources so that no packaged kline file lives in the repository.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/replay");

function prepare(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mm-replay-fixtures-"));
  for (const name of readdirSync(SOURCE)) {
    if (statSync(path.join(SOURCE, name)).isFile())
      copyFileSync(path.join(SOURCE, name), path.join(dir, name));
  }
  const gz = path.join(SOURCE, "gzip-source");
  for (const name of readdirSync(gz)) {
    writeFileSync(path.join(dir, `${name}.gz`), gzipSync(readFileSync(path.join(gz, name))));
  }
  return dir;
}

export const REPLAY_FIXTURES = prepare();
