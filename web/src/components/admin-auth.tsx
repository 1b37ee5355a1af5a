// Admin sign-in, and the one-time registration of the first admin with the bootstrap token.
import { useState } from "preact/hooks";
import { adminApi } from "../api";
import { signInAdmin } from "../session";
import { ApiError, messageOf } from "../transport";
import { AuthCard } from "./auth-card";
import { FormEnd, useSubmit } from "./form-submit";
import { newPasswordProblem, PasswordField } from "./password-field";
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
  const form = useSubmit({
    check: () => (tab === "bootstrap" ? newPasswordProblem(password, email) : null),
    send: async () => {
      if (tab === "bootstrap") {
        await adminApi.registerFirst({ email: email.trim(), password, name: name.trim() }, bootstrap.trim());
      }
      const answer = await adminApi.login(email.trim(), password);
      signInAdmin(answer.access_token, answer.admin);
    },
    explain: (e) => explain(e, tab),
  });

  return (
    <AuthCard
      id="admin-auth"
      title="Admin console"
      lead="Instruments, data collection, model training and live job progress."
      notice={notice && <Alert kind="info">{notice}</Alert>}
      tabs={{ login: "Sign in", bootstrap: "First admin" }}
      tabsLabel="Sign in or set up the first admin"
      tab={tab}
      onTab={(t) => {
        setTab(t);
        form.clear();
      }}
    >
      <form class="form" onSubmit={form.submit}>
        {tab === "bootstrap" && (
          <p class="muted field__hint">
            Only while no admin exists. The token is the ADMIN_BOOTSTRAP_TOKEN secret set by whoever deployed
            MoneyMoney.
          </p>
        )}
        {tab === "bootstrap" && (
          <Field label="Name" autoComplete="name" required value={name} onValue={setName} />
        )}
        <Field label="Email" type="email" autoComplete="username" required value={email} onValue={setEmail} />
        <PasswordField
          label="Password"
          purpose={tab === "bootstrap" ? "new" : "current"}
          value={password}
          onValue={setPassword}
        />
        {tab === "bootstrap" && (
          <PasswordField label="Bootstrap token" purpose="secret" value={bootstrap} onValue={setBootstrap} />
        )}
        <FormEnd
          form={form}
          label={tab === "login" ? "Sign in" : "Create the first admin"}
          busyText="Please wait…"
          class="btn--block"
        />
      </form>
    </AuthCard>
  );
}
