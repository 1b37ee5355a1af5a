// The card of both sign-in pages (/auth and /admin): a title, a lead, two tabs and the chosen tab's form.
import type { ComponentChildren } from "preact";

interface Props<T extends string> {
  /** Prefix of the ids that tie the title, the tabs and the panel together. */
  id: string;
  title: string;
  lead: string;
  /** Each tab's name by key, in the order shown. */
  tabs: Record<T, string>;
  tabsLabel: string;
  tab: T;
  onTab: (tab: T) => void;
  /** Shown above the tabs (why the admin was signed out). */
  notice?: ComponentChildren;
  /** Lines below the panel. */
  foot?: ComponentChildren;
  children: ComponentChildren;
}

export function AuthCard<T extends string>(props: Props<T>) {
  const { id, tabs, tab, onTab } = props;
  return (
    <section class="card auth-card" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`} class="auth-card__title">
        {props.title}
      </h1>
      <p class="muted auth-card__lead">{props.lead}</p>
      {props.notice}
      <div class="tabs" role="tablist" aria-label={props.tabsLabel}>
        {(Object.keys(tabs) as T[]).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${id}-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`${id}-panel`}
            class={`tabs__tab ${tab === t ? "is-active" : ""}`}
            onClick={() => onTab(t)}
          >
            {tabs[t]}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        {props.children}
      </div>
      {props.foot}
    </section>
  );
}
