// The one password input: the current password, a new one (the rule on screen, its limits on the
// input), its confirmation, or another secret (the bootstrap token), each with a show / hide button;
// and the check of a new password against the rule before it is sent.
import { useState } from "preact/hooks";
import { NEW_PASSWORD, PASSWORD_RULE, passwordShapeProblem } from "../../../core/auth/password-rule";
import { Field } from "./ui";

type Purpose = "current" | "new" | "confirm" | "secret";

const AUTOCOMPLETE: Record<Purpose, string> = {
  current: "current-password",
  new: "new-password",
  confirm: "new-password",
  secret: "off",
};

interface Props {
  label: string;
  purpose: Purpose;
  value: string;
  onValue: (value: string) => void;
}

export function PasswordField({ label, purpose, value, onValue }: Props) {
  const [shown, setShown] = useState(false);
  const isNew = purpose === "new";
  return (
    <Field
      label={label}
      type={shown ? "text" : "password"}
      autoComplete={AUTOCOMPLETE[purpose]}
      required
      minLength={isNew ? NEW_PASSWORD.min : undefined}
      maxLength={isNew ? NEW_PASSWORD.max : undefined}
      hint={isNew ? `Passwords need ${PASSWORD_RULE}` : undefined}
      value={value}
      onValue={onValue}
    >
      <button
        type="button"
        class="field__reveal"
        aria-label={shown ? "Hide password" : "Show password"}
        aria-pressed={shown}
        onClick={() => setShown(!shown)}
      >
        {shown ? "Hide" : "Show"}
      </button>
    </Field>
  );
}

/** Why `password` cannot be a new password, followed by the rule; null when it may be sent. */
export function newPasswordProblem(password: string, email: string | undefined): string | null {
  const weak = passwordShapeProblem(password, email);
  return weak ? `${weak} Passwords need ${PASSWORD_RULE}` : null;
}
