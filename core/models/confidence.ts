// How a signal's confidence (0..1) is shown: one rounding for the API's reasons and the web's ring.

/** Whole percent, clamped to 0..100: 0.685 -> 69. The ring's arc, its text and the reasons all use it. */
export function confidencePercent(confidence: number): number {
  if (!Number.isFinite(confidence)) return 0;
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}
