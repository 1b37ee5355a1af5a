// A model's figures as labelled pairs ("skill +1.2%", "p 0.03"), for the chips, the track record card
// and the admin console alike. Which figures a model gets follows core's kind info: a price model its
// skill against the random walk, a volatility model its QLIKE against the EWMA benchmark's.
import type { TrackRecordAnswer } from "../api-types";
import { formatNumber, formatPct, formatPValue, trendOf } from "./format";
import { modelLook } from "./models";

export interface Figure {
  word: string;
  value: string;
  tone?: "up" | "down" | "";
}

export type HorizonRecord = TrackRecordAnswer["models"][number]["horizons"][number];

/** A p-value as shown everywhere (core/format.ts); below 0.1 (the vote's family-wise rate) reads as evidence. */
export const pText = formatPValue;
/** The tone of a figure as shown: "0.00%" is neither gain nor loss, whatever it rounded from. */
export const shownTone = (shown: string) => {
  const t = trendOf(shown);
  return t === "flat" ? "" : t;
};
export const pTone = (p: number | null | undefined) => (typeof p === "number" && p < 0.1 ? "up" : "");

/** The live scores of one horizon of a model's ledger entries. */
export function liveFigures(modelType: string, h: HorizonRecord): Figure[] {
  const out: Figure[] = [{ word: "hours", value: formatNumber(h.n, 0) }];
  if (modelLook(modelType).volatility) {
    if (h.qlike !== undefined && h.ewma_qlike !== undefined) {
      out.push({
        word: "QLIKE",
        value: formatNumber(h.qlike, 3),
        tone: h.qlike < h.ewma_qlike ? "up" : "down",
      });
      out.push({ word: "EWMA", value: formatNumber(h.ewma_qlike, 3) });
    }
    out.push({
      word: "p",
      value: h.qlike_dm_pvalue == null ? "—" : pText(h.qlike_dm_pvalue),
      tone: pTone(h.qlike_dm_pvalue),
    });
  } else {
    const skill = formatPct(h.skill, 2);
    out.push({ word: "skill", value: skill, tone: shownTone(skill) });
    out.push({ word: "p", value: h.dm_pvalue === null ? "—" : pText(h.dm_pvalue), tone: pTone(h.dm_pvalue) });
  }
  out.push({ word: "in 95% band", value: formatPct(h.coverage, 0, false) });
  return out;
}
