// The profile's alerts card: every alert with its state and a delete button, and Web Push for this
// browser (the permission prompt, the subscription) switched on or off.
import { useEffect, useState } from "preact/hooks";
import { alertsApi } from "../alerts-api";
import type { AlertAnswer } from "../api-types";
import { formatUtc } from "../lib/format";
import { currentSubscription, disablePush, enablePush, pushSupported } from "../lib/push";
import { messageOf } from "../transport";
import { Alert, Card } from "./ui";

const WHAT: Record<AlertAnswer["kind"], (v: number | null) => string> = {
  price_above: (v) => `closes above ${v}`,
  price_below: (v) => `closes below ${v}`,
  change_pct: (v) => `moves ${v}% in 60 minutes`,
  signal_change: () => "signal changes",
  band_exit: () => "leaves the forecast band",
  data_stale: (v) => `no new data for ${v ?? 10} minutes`,
};

function PushToggle() {
  const [on, setOn] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void currentSubscription().then((s) => setOn(s !== null));
  }, []);
  if (!pushSupported()) return <p class="muted">This browser cannot receive push notifications.</p>;
  const toggle = async () => {
    setError(null);
    try {
      if (on) await disablePush();
      else {
        const why = await enablePush();
        if (why) return setError(why);
      }
      setOn(!on);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div class="push-toggle">
      <button
        type="button"
        class="btn btn--ghost btn--sm"
        disabled={on === null}
        onClick={() => void toggle()}
      >
        {on ? "Turn off push notifications" : "Enable push notifications"}
      </button>
      <span class="muted">{on ? "This browser is told even when MoneyMoney is closed." : ""}</span>
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

export function AlertList() {
  const [alerts, setAlerts] = useState<AlertAnswer[] | null>(null);
  const [limit, setLimit] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    alertsApi
      .alerts()
      .then((r) => {
        setAlerts(r.alerts);
        setLimit(r.limit);
      })
      .catch((e) => setError(messageOf(e)));
  useEffect(() => void load(), []);
  const remove = async (id: number) => {
    try {
      await alertsApi.deleteAlert(id);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Card title="Alerts" labelId="alerts-title">
      <PushToggle />
      {error && <Alert>{error}</Alert>}
      {alerts?.length === 0 && <p class="muted">No alerts yet: set one under a chart on the dashboard.</p>}
      {alerts && alerts.length > 0 && (
        <ul class="alert-rows">
          {alerts.map((a) => (
            <li key={a.id} class="alert-row">
              <span>
                <strong>{a.symbol}</strong> {WHAT[a.kind](a.value)}
              </span>
              <span class="muted">
                {a.enabled ? a.state : "off"}
                {a.last_fired_at ? ` · fired ${formatUtc(a.last_fired_at)}` : ""}
              </span>
              <button
                type="button"
                class="btn btn--ghost btn--sm"
                aria-label={`Delete the ${a.symbol} alert`}
                onClick={() => void remove(a.id)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {alerts && <p class="muted">{`${alerts.length} of ${limit} alerts`}</p>}
    </Card>
  );
}
