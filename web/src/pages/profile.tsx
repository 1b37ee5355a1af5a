// "/profile": change email or password (current password required), or delete the account.
import { useEffect, useState } from "preact/hooks";
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../../core/auth/password-rule";
import { accountError, api } from "../api";
import { DeleteAccount } from "../components/delete-account";
import { NavBar } from "../components/nav-bar";
import { Alert, Card, Field } from "../components/ui";
import { currentUser, setUser, signInUser } from "../session";
import { useRequireUser } from "../state/guards";
import { messageOf } from "../transport";

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
      // The answer carries a fresh token; keeping it keeps this session whatever the server revoked.
      const { user, token } = await api.updateProfile({ current_password: current, email: email.trim() });
      signInUser(token, user);
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
    const weak = passwordShapeProblem(next, currentUser.value?.email);
    if (weak) return setOutcome({ kind: "error", text: `${weak} Passwords need ${PASSWORD_RULE}` });
    if (next !== confirm) return setOutcome({ kind: "error", text: "The two new passwords differ." });
    setBusy(true);
    try {
      // A password change revokes every older token, this tab's too: the fresh one keeps it signed in.
      const { user, token } = await api.updateProfile({ current_password: current, password: next });
      signInUser(token, user);
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
          minLength={NEW_PASSWORD.min}
          maxLength={NEW_PASSWORD.max}
          hint={`Passwords need ${PASSWORD_RULE}`}
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
