// "/profile": change email or password (current password required), or delete the account.
import { useEffect, useState } from "preact/hooks";
import { accountError, api, messageOf } from "../api";
import { DeleteAccount } from "../components/delete-account";
import { NavBar } from "../components/nav-bar";
import { Alert, Card, Field } from "../components/ui";
import { useRequireUser } from "../state/guards";
import { currentUser, setUser } from "../state/session";

const PASSWORD_MIN = 8;

type Outcome = { kind: "error" | "success"; text: string } | null;

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
      setOutcome({ kind: "error", text: accountError(e) });
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
      setOutcome({ kind: "error", text: accountError(e) });
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
