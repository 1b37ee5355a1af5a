// The live event feed from the ProgressHub, and adding another admin.
import { useState } from "preact/hooks";
import { adminApi } from "../api";
import { formatUtc, progressPercent } from "../lib/format";
import { feed } from "../state/admin";
import { FormEnd, useSubmit } from "./form-submit";
import { newPasswordProblem, PasswordField } from "./password-field";
import { Card, Field } from "./ui";

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
  const form = useSubmit({
    check: () => newPasswordProblem(password, email),
    send: async () => {
      await adminApi.registerAnother({ name: name.trim(), email: email.trim(), password });
      setName("");
      setEmail("");
      setPassword("");
      return `${email.trim()} can now sign in to the admin console.`;
    },
  });
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
        <form class="form" onSubmit={form.submit}>
          <Field label="Name" required value={name} onValue={setName} autoComplete="off" />
          <Field label="Email" type="email" required value={email} onValue={setEmail} autoComplete="off" />
          <PasswordField label="Password" purpose="new" value={password} onValue={setPassword} />
          <FormEnd form={form} label="Add admin" busyText="Adding…" class="btn--sm" />
        </form>
      )}
    </Card>
  );
}
