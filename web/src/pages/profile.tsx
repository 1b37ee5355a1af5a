// "/profile": change email or password (current password required), or delete the account.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, messageOf } from "../api";
import { NavBar } from "../components/nav-bar";
import { Alert, Card, Field } from "../components/ui";
import { useRequireUser } from "../state/guards";
import { navigate } from "../state/router";
import { currentUser, setUser, signOutUser } from "../state/session";

const PASSWORD_MIN = 8;

type Outcome = { kind: "error" | "success"; text: string } | null;

function wrongPassword(error: unknown): string {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    return "Your current password is not correct.";
  }
  if (error instanceof ApiError && error.status === 409) return "Another account already uses this email.";
  return messageOf(error);
}

function EmailForm() {
  const [email, setEmail] = useState("");
  const [current, setCurrent] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const { user } = await api.updateProfile({ current_password: current, email: email.trim() });
      setUser(user);
      setEmail("");
      setCurrent("");
      setOutcome({ kind: "success", text: `Your email is now ${user.email}.` });
    } catch (e) {
      setOutcome({ kind: "error", text: wrongPassword(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Email" labelId="email-title">
      <form class="form" onSubmit={submit}>
        <Field
          label="New email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onValue={setEmail}
        />
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
        />
        {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? "Saving…" : "Change email"}
        </button>
      </form>
    </Card>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setOutcome(null);
    if (next.length < PASSWORD_MIN)
      return setOutcome({ kind: "error", text: `Use at least ${PASSWORD_MIN} characters.` });
    if (next !== confirm) return setOutcome({ kind: "error", text: "The two new passwords differ." });
    setBusy(true);
    try {
      const { user } = await api.updateProfile({ current_password: current, password: next });
      setUser(user);
      setCurrent("");
      setNext("");
      setConfirm("");
      setOutcome({ kind: "success", text: "Password changed. Other devices will need to sign in again." });
    } catch (e) {
      setOutcome({ kind: "error", text: wrongPassword(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Password" labelId="password-title">
      <form class="form" onSubmit={submit}>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          value={next}
          onValue={setNext}
        />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onValue={setConfirm}
        />
        {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
        <button type="submit" class="btn btn--primary" disabled={busy}>
          {busy ? "Saving…" : "Change password"}
        </button>
      </form>
    </Card>
  );
}

function DeleteAccount() {
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
      setError(wrongPassword(e));
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

export function ProfilePage() {
  const ok = useRequireUser();
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!ok) return;
    api
      .me()
      .then(({ user }) => setUser(user))
      .catch((e) => setLoadError(messageOf(e)));
  }, [ok]);
  if (!ok) return null;
  return (
    <>
      <NavBar />
      <main id="main" class="page page--narrow" tabIndex={-1}>
        <header class="page-head">
          <h1>Your profile</h1>
          <p class="muted">
            Signed in as <strong>{currentUser.value?.email ?? "…"}</strong>
          </p>
        </header>
        {loadError && <Alert>{loadError}</Alert>}
        <div class="stack">
          <EmailForm />
          <PasswordForm />
          <DeleteAccount />
        </div>
      </main>
    </>
  );
}
