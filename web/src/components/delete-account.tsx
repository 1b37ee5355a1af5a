// Deleting the account: a second step that asks for the email and the current password.
import { useState } from "preact/hooks";
import { accountError, api } from "../api";
import { currentUser, signOutUser } from "../session";
import { navigate } from "../state/router";
import { useSubmit } from "./form-submit";
import { PasswordField } from "./password-field";
import { Alert, Card, Field } from "./ui";

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState("");
  const [typed, setTyped] = useState("");
  const email = currentUser.value?.email ?? "";
  const confirmed = typed.trim().toLowerCase() === email.toLowerCase() && email !== "";
  const { busy, outcome, submit } = useSubmit({
    send: async () => {
      await api.deleteAccount(current);
      signOutUser();
      navigate("/", true);
    },
    explain: accountError,
  });
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
          <PasswordField label="Current password" purpose="current" value={current} onValue={setCurrent} />
          {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
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
