// Deleting the account: a second step that asks for the email and the current password.
import { useState } from "preact/hooks";
import { accountError, api } from "../api";
import { currentUser, signOutUser } from "../session";
import { navigate } from "../state/router";
import { Alert, Card, Field } from "./ui";

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState("");
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const email = currentUser.value?.email ?? "";
  const confirmed = typed.trim().toLowerCase() === email.toLowerCase() && email !== "";
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.deleteAccount(current);
      signOutUser();
      navigate("/", true);
    } catch (e) {
      setError(accountError(e));
      setBusy(false);
    }
  };
  return (
    <Card title="Delete account" labelId="delete-title" class="card--danger">
      <p class="muted">This removes your account and signs you out everywhere. It cannot be undone.</p>
      {!open ? (
        <button type="button" class="btn btn--danger" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      ) : (
        <form class="form" onSubmit={submit}>
          <Field
            label={`Type your email (${email}) to confirm`}
            value={typed}
            onValue={setTyped}
            autoComplete="off"
            required
          />
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onValue={setCurrent}
          />
          {error && <Alert>{error}</Alert>}
          <div class="form__row">
            <button type="button" class="btn btn--ghost" onClick={() => setOpen(false)}>
              Keep my account
            </button>
            <button type="submit" class="btn btn--danger" disabled={!confirmed || busy}>
              {busy ? "Deleting…" : "Delete permanently"}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
