// The live event feed from the ProgressHub, and adding another admin.
import { useState } from "preact/hooks";
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../../core/auth/password-rule";
import { adminApi } from "../api";
import { formatUtc, progressPercent } from "../lib/format";
import { feed } from "../state/admin";
import { messageOf } from "../transport";
import { Alert, Card, Field } from "./ui";

const EVENT_LABEL: Record<string, string> = {
  data_collection_progress: "collect",
  model_training_progress: "train",
  status_update: "status",
};

export function LiveFeed() {
  const events = feed.value;
  return (
    <Card title="Live events" labelId="feed-title" class="admin-feed">
      {events.length === 0 ? (
        <p class="muted">Progress from collectors and trainers appears here as it happens.</p>
      ) : (
        <ol class="feed" aria-live="polite" aria-relevant="additions">
          {events.map((e, i) => (
            <li key={`${e.time}-${e.job_id}-${i}`}>
              <span class="feed__time num">{formatUtc(e.time).slice(11, 16)}</span>
              <span class={`feed__type feed__type--${EVENT_LABEL[e.type] ?? "status"}`}>
                {EVENT_LABEL[e.type] ?? e.type}
              </span>
              <span class="feed__text">
                {(e.symbol || e.job_id !== null) && <strong>{e.symbol ?? `job ${e.job_id}`} </strong>}
                {e.message ?? ""}
                {e.progress !== null && e.progress !== undefined && (
                  <span class="muted num"> · {Math.round(progressPercent(e.progress))}%</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function AddAdmin() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [outcome, setOutcome] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const weak = passwordShapeProblem(password, email);
    if (weak) return setOutcome({ kind: "error", text: `${weak} Passwords need ${PASSWORD_RULE}` });
    setBusy(true);
    setOutcome(null);
    try {
      await adminApi.registerAnother({ name: name.trim(), email: email.trim(), password });
      setOutcome({ kind: "success", text: `${email.trim()} can now sign in to the admin console.` });
      setName("");
      setEmail("");
      setPassword("");
    } catch (e) {
      setOutcome({ kind: "error", text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="Admins"
      labelId="admins-title"
      class="admin-team"
      actions={
        <button
          type="button"
          class="btn btn--ghost btn--xs"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? "Close" : "Add admin"}
        </button>
      }
    >
      {!open && (
        <p class="muted">Admins manage instruments, data and models. Users never see this console.</p>
      )}
      {open && (
        <form class="form" onSubmit={submit}>
          <Field label="Name" required value={name} onValue={setName} autoComplete="off" />
          <Field label="Email" type="email" required value={email} onValue={setEmail} autoComplete="off" />
          <Field
            label="Password"
            type="password"
            required
            minLength={NEW_PASSWORD.min}
            maxLength={NEW_PASSWORD.max}
            hint={`Passwords need ${PASSWORD_RULE}`}
            value={password}
            onValue={setPassword}
            autoComplete="new-password"
          />
          {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
          <button type="submit" class="btn btn--primary btn--sm" disabled={busy}>
            {busy ? "Adding…" : "Add admin"}
          </button>
        </form>
      )}
    </Card>
  );
}
