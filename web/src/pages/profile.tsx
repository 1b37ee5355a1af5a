// "/profile": change email or password (current password required), or delete the account.
import { useEffect, useState } from "preact/hooks";
import { accountError, api } from "../api";
import { AlertList } from "../components/alert-list";
import { DeleteAccount } from "../components/delete-account";
import { FormEnd, useSubmit } from "../components/form-submit";
import { NavBar } from "../components/nav-bar";
import { newPasswordProblem, PasswordField } from "../components/password-field";
import { Alert, Card, Field } from "../components/ui";
import { currentUser, setUser, signInUser } from "../session";
import { useRequireUser } from "../state/guards";
import { messageOf } from "../transport";

function EmailForm() {
  const [email, setEmail] = useState("");
  const [current, setCurrent] = useState("");
  const form = useSubmit({
    send: async () => {
      // The answer carries a fresh token; keeping it keeps this session whatever the server revoked.
      const { user, token } = await api.updateProfile({ current_password: current, email: email.trim() });
      signInUser(token, user);
      setEmail("");
      setCurrent("");
      return `Your email is now ${user.email}.`;
    },
    explain: accountError,
  });
  return (
    <Card title="Email" labelId="email-title">
      <form class="form" onSubmit={form.submit}>
        <Field
          label="New email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onValue={setEmail}
        />
        <PasswordField label="Current password" purpose="current" value={current} onValue={setCurrent} />
        <FormEnd form={form} label="Change email" busyText="Saving…" />
      </form>
    </Card>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const form = useSubmit({
    check: () =>
      newPasswordProblem(next, currentUser.value?.email) ??
      (next !== confirm ? "The two new passwords differ." : null),
    send: async () => {
      // A password change revokes every older token, this tab's too: the fresh one keeps it signed in.
      const { user, token } = await api.updateProfile({ current_password: current, password: next });
      signInUser(token, user);
      setCurrent("");
      setNext("");
      setConfirm("");
      return "Password changed. Other devices will need to sign in again.";
    },
    explain: accountError,
  });
  return (
    <Card title="Password" labelId="password-title">
      <form class="form" onSubmit={form.submit}>
        <PasswordField label="Current password" purpose="current" value={current} onValue={setCurrent} />
        <PasswordField label="New password" purpose="new" value={next} onValue={setNext} />
        <PasswordField label="Confirm new password" purpose="confirm" value={confirm} onValue={setConfirm} />
        <FormEnd form={form} label="Change password" busyText="Saving…" />
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
          <AlertList />
          <DeleteAccount />
        </div>
      </main>
    </>
  );
}
