// The ledger's hash chain: appended entries verify, and any edit, reordering, removal or truncation of a
// stored entry is caught.
import { describe, expect, it } from "vitest";
import {
  canonicalBytes,
  chainEntry,
  GENESIS_HASH,
  type LedgerDraft,
  type LedgerEntry,
  sha256Hex,
  verifyChain,
} from "../../core/ledger/entry";

const draft = (i: number): LedgerDraft => ({
  symbol: "CHAINUSDT",
  kind: i % 3 === 2 ? "signal" : "forecast",
  made_at: new Date(Date.UTC(2026, 11, 6, i, 0, 30)).toISOString(),
  origin: 1_796_515_200 + (i - 1) * 3600,
  last_close: 100 + i,
  model_type: i % 3 === 2 ? "signal" : "arima",
  model_version: i % 3 === 2 ? null : 1,
  artifact_sha256: i % 3 === 2 ? null : "ab".repeat(32),
  forecast:
    i % 3 === 2 ? [] : [{ time: 1_796_515_200 + i * 3600, value: 100.5 + i, lower: 99 + i, upper: 102 + i }],
  ...(i % 3 === 2
    ? {
        signal: {
          signal: "hold",
          confidence: null,
          expected: null,
          score: null,
          voters: [],
          models: "arima:1",
        },
      }
    : {}),
});

async function ledger(n: number) {
  const out: LedgerEntry[] = [];
  for (let i = 1; i <= n; i++) out.push(await chainEntry(out.at(-1) ?? null, draft(i)));
  return out;
}

describe("the ledger's chain", () => {
  it("links each entry to the one before by the SHA-256 of its canonical bytes", async () => {
    const entries = await ledger(12);
    expect(entries[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i].prev_hash).toBe(entries[i - 1].hash);
    expect(await verifyChain(entries)).toEqual([]);
    // The canonical bytes: RFC 8785, keys sorted, the hash itself (and any scores) left out.
    const text = new TextDecoder().decode(canonicalBytes({ ...entries[0], scores: [1] } as LedgerEntry));
    expect(text.startsWith('{"artifact_sha256":"abab')).toBe(true);
    expect(text).not.toMatch(/"hash"|scores/);
    expect(text).toContain('"prev_hash":"0000');
    expect(await sha256Hex(new TextEncoder().encode(text))).toBe(entries[0].hash);
  });

  it("catches an edited value, even by a billionth", async () => {
    const entries = await ledger(12);
    const edited = structuredClone(entries);
    edited[5].forecast[0].value += 1e-9;
    expect(await verifyChain(edited)).toEqual([{ seq: 6, problem: "hash does not match the entry's bytes" }]);
    // Recomputing the edited entry's hash breaks the next link instead.
    const { hash: _, ...body } = edited[5];
    edited[5].hash = await sha256Hex(canonicalBytes(body));
    expect(await verifyChain(edited)).toEqual([
      { seq: 7, problem: "prev_hash is not the previous entry's hash" },
    ]);
  });

  it("catches entries swapped, removed, or a changed made_at", async () => {
    const entries = await ledger(12);
    const swapped = [...entries];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expect((await verifyChain(swapped)).map((p) => p.seq)).toContain(5);
    const removed = entries.filter((e) => e.seq !== 8);
    expect(await verifyChain(removed)).toEqual([
      { seq: 9, problem: "seq 9 where 8 was due" },
      { seq: 9, problem: "prev_hash is not the previous entry's hash" },
    ]);
    const backdated = structuredClone(entries);
    backdated[2].made_at = "2026-12-06T00:00:00.000Z";
    expect(await verifyChain(backdated)).toEqual([
      { seq: 3, problem: "hash does not match the entry's bytes" },
    ]);
  });

  it("verifies a page of the chain from the hash before it, and a cut tail against the published head", async () => {
    const entries = await ledger(12);
    expect(await verifyChain(entries.slice(6), 7, entries[5].hash)).toEqual([]);
    expect((await verifyChain(entries.slice(6), 7, entries[4].hash)).length).toBe(1);
    // A truncated export still chains; only the published head (seq and hash) shows what is missing.
    const head = entries.at(-1);
    const cut = entries.slice(0, 10);
    expect(await verifyChain(cut)).toEqual([]);
    expect(cut.at(-1)?.hash).not.toBe(head?.hash);
  });
});
