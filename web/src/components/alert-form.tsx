// Creating an alert from the chart: what to watch (a price level, a move, the signal, the band, stale
// data) and its value, a price prefilled with the last close.
import { useEffect, useState } from "preact/hooks";
import { alertsApi } from "../alerts-api";
import type { AlertKind } from "../api-types";
import { messageOf } from "../transport";
import { Alert } from "./ui";

const KINDS: { kind: AlertKind; label: string; unit?: string }[] = [
  { kind: "price_above", label: "Price closes above", unit: "price" },
  { kind: "price_below", label: "Price closes below", unit: "price" },
  { kind: "change_pct", label: "Moves in 60 min by", unit: "%" },
  { kind: "signal_change", label: "Signal changes" },
  { kind: "band_exit", label: "Price leaves the forecast band" },
  { kind: "data_stale", label: "No new data for", unit: "min" },
];

export function AlertForm({ symbol, price }: { symbol: string; price: number | null }) {
  const [kind, setKind] = useState<AlertKind>("price_above");
  const [value, setValue] = useState(price === null ? "" : String(price));
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const unit = KINDS.find((k) => k.kind === kind)?.unit;
  useEffect(() => {
    setOutcome(null);
    if (unit === "price") setValue(price === null ? "" : String(price));
    else if (unit === "%") setValue("2");
    else if (unit === "min") setValue("10");
  }, [symbol, kind]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const made = await alertsApi.createAlert({ symbol, kind, value: unit ? Number(value) : undefined });
      setOutcome({ ok: true, text: `Alert set on ${made.symbol}. Manage alerts in your profile.` });
    } catch (err) {
      setOutcome({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="alert-form" onSubmit={submit} aria-label={`New alert on ${symbol}`}>
      <label class="alert-form__kind">
        <span class="sr-only">Alert when</span>
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as AlertKind)}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      {unit && (
        <label class="alert-form__value">
          <span class="sr-only">Value ({unit})</span>
          <input
            type="number"
            step="any"
            inputMode="decimal"
            required
            value={value}
            aria-label={`Alert value (${unit})`}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <span class="muted">{unit === "price" ? "" : unit}</span>
        </label>
      )}
      <button type="submit" class="btn btn--primary btn--sm" disabled={busy}>
        {busy ? "Setting…" : "Set alert"}
      </button>
      {outcome && <Alert kind={outcome.ok ? "success" : "error"}>{outcome.text}</Alert>}
    </form>
  );
}
