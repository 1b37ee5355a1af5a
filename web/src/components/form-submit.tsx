// One form's submission: a check before anything is sent, busy while it runs, and what came of it
// (a success the form words, or the failure in the server's words unless the form knows better);
// and the end of a form that shows it: the outcome, then the submit button.
import { useState } from "preact/hooks";
import { messageOf } from "../transport";
import { Alert } from "./ui";

export interface Outcome {
  kind: "error" | "success";
  text: string;
}

interface Submission {
  /** A problem to show instead of sending (a weak password, two passwords that differ), or null. */
  check?: () => string | null;
  /** Sends the form; a text it resolves to is shown as the success. */
  send: () => Promise<unknown>;
  /** Words for a failure; the server's own by default. */
  explain?: (error: unknown) => string;
}

export function useSubmit({ check, send, explain = messageOf }: Submission) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submit = async (event?: Event) => {
    event?.preventDefault();
    setOutcome(null);
    const problem = check?.() ?? null;
    if (problem) return setOutcome({ kind: "error", text: problem });
    setBusy(true);
    try {
      const done = await send();
      if (typeof done === "string") setOutcome({ kind: "success", text: done });
    } catch (e) {
      setOutcome({ kind: "error", text: explain(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, submit, clear: () => setOutcome(null) };
}

interface EndProps {
  form: { busy: boolean; outcome: Outcome | null };
  label: string;
  /** The button's text while the submission runs. */
  busyText: string;
  /** Extra button classes (size, full width). */
  class?: string;
}

export function FormEnd({ form, label, busyText, class: extra }: EndProps) {
  return (
    <>
      {form.outcome && <Alert kind={form.outcome.kind}>{form.outcome.text}</Alert>}
      <button type="submit" class={`btn btn--primary${extra ? ` ${extra}` : ""}`} disabled={form.busy}>
        {form.busy ? busyText : label}
      </button>
    </>
  );
}
