// Small building blocks shared by every page: links, fields, alerts, spinners, progress bars.
import type { AnchorHTMLAttributes, ComponentChildren, TargetedMouseEvent } from "preact";
import { useId } from "preact/hooks";
import { navigate } from "../state/router";

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An <a> that routes inside the app (keeps new-tab, modifier clicks and external links native). */
export function Link({ href, onClick, children, ...rest }: AnchorProps) {
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!href.startsWith("/") || href.startsWith("/api/")) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  minLength?: number;
  maxLength?: number;
  spellcheck?: boolean;
  /** A control beside the input (the password field's show / hide button). */
  children?: ComponentChildren;
}

/** A labelled input with an optional hint; password inputs go through PasswordField. */
export function Field({ label, value, onValue, hint, type = "text", children, ...rest }: FieldProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="field__control">
        <input
          id={id}
          // Preact types pick attributes per literal type; this input's type is chosen at run time.
          type={type as "text"}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-describedby={hint ? `${id}-hint` : undefined}
          {...rest}
        />
        {children}
      </div>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function Alert({
  kind = "error",
  children,
}: {
  kind?: "error" | "success" | "info";
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert--${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span class="spinner" role="status" aria-label={label} />;
}

export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div class="skeleton" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} class="skeleton__line" style={{ width: `${90 - i * 17}%` }} />
      ))}
    </div>
  );
}

export function ProgressBar({ percent, label, status }: { percent: number; label: string; status?: string }) {
  return (
    <div
      class={`progress ${status ? `progress--${status}` : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
    >
      <span class="progress__fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

export function Card({
  title,
  actions,
  class: extra = "",
  children,
  labelId,
}: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  class?: string;
  children: ComponentChildren;
  labelId?: string;
}) {
  return (
    <section class={`card ${extra}`} aria-labelledby={title ? labelId : undefined}>
      {(title || actions) && (
        <header class="card__head">
          {title && (
            <h2 class="card__title" id={labelId}>
              {title}
            </h2>
          )}
          {actions && <div class="card__actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" class="logo">
      <defs>
        <linearGradient id="logo-grad" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#E1007A" />
          <stop offset="1" stop-color="#8A2BE2" />
        </linearGradient>
      </defs>
      <rect x="1" y="1" width="30" height="30" rx="9" fill="url(#logo-grad)" />
      <path
        d="M8 21V11l4.5 6 3.5-5 3.5 5L24 11v10"
        fill="none"
        stroke="#fff"
        stroke-width="2.4"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
