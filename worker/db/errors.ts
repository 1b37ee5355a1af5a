/** D1 reports a unique-index clash as an error whose message (or cause) names the constraint. */
export function isUniqueViolation(err: unknown): boolean {
  const text =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : "";
  return text.includes("UNIQUE constraint failed");
}
