// Admin sign-in, and the one-time registration of the first admin with the bootstrap token.
import { useState } from "preact/hooks";
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../../core/auth/password-rule";
import { adminApi } from "../api";
import { signInAdmin } from "../session";
import { ApiError, messageOf } from "../transport";
import { Alert, Field } from "./ui";

type Tab = "login" | "bootstrap";

function explain(error: unknown, tab: Tab): string {
  if (error instanceof ApiError) {
    if (tab === "login" && error.status === 401) return "Wrong email or password.";
    if (tab === "bootstrap" && (error.status === 401 || error.status === 403)) {
      return "Registration refused: the bootstrap token is wrong, or an admin already exists (then sign in).";
    }
  }
  return messageOf(error);
}

export function AdminAuth({ notice }: { notice?: string | null }) {
  const [tab, setTab] = useState<Tab>("login");
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [bootstrap, setBootstrap] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const weak = tab === "bootstrap" ? passwordShapeProblem(password, email) : null;
    if (weak) {
      setError(`${weak} Passwords need ${PASSWORD_RULE}`);
      return;
    }
    setBusy(true);
    try {
      if (tab === "bootstrap") {
        await adminApi.registerFirst({ email: email.trim(), password, name: name.trim() }, bootstrap.trim());
      }
      const answer = await adminApi.login(email.trim(), password);
      signInAdmin(answer.access_token, answer.admin);
    } catch (e) {
      setError(explain(e, tab));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card auth-card" aria-labelledby="admin-auth-title">
      <h1 id="admin-auth-title" class="auth-card__title">
        Admin console
      </h1>
      <p class="muted auth-card__lead">Instruments, data collection, model training and live job progress.</p>
      {notice && <Alert kind="info">{notice}</Alert>}
      <div class="tabs" role="tablist" aria-label="Sign in or set up the first admin">
        {(["login", "bootstrap"] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`admin-tab-${t}`}
            aria-selected={tab === t}
            aria-controls="admin-auth-panel"
            class={`tabs__tab ${tab === t ? "is-active" : ""}`}
            onClick={() => {
              setTab(t);
              setError(null);
            }}
          >
            {t === "login" ? "Sign in" : "First admin"}
          </button>
        ))}
      </div>
      <div id="admin-auth-panel" role="tabpanel" aria-labelledby={`admin-tab-${tab}`}>
        <form class="form" onSubmit={submit}>
          {tab === "bootstrap" && (
            <p class="muted field__hint">
              Only while no admin exists. The token is the ADMIN_BOOTSTRAP_TOKEN secret set by whoever
              deployed MoneyMoney.
            </p>
          )}
          {tab === "bootstrap" && (
            <Field label="Name" autoComplete="name" required value={name} onValue={setName} />
          )}
          <Field
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onValue={setEmail}
          />
          <Field
            label="Password"
            type="password"
            autoComplete={tab === "bootstrap" ? "new-password" : "current-password"}
            required
            minLength={tab === "bootstrap" ? NEW_PASSWORD.min : undefined}
            maxLength={tab === "bootstrap" ? NEW_PASSWORD.max : undefined}
            hint={tab === "bootstrap" ? `Passwords need ${PASSWORD_RULE}` : undefined}
            value={password}
            onValue={setPassword}
          />
          {tab === "bootstrap" && (
            <Field
              label="Bootstrap token"
              type="password"
              autoComplete="off"
              required
              value={bootstrap}
              onValue={setBootstrap}
            />
          )}
          {error && <Alert>{error}</Alert>}
          <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
            {busy ? "Please wait…" : tab === "login" ? "Sign in" : "Create the first admin"}
          </button>
        </form>
      </div>
    </section>
  );
}
