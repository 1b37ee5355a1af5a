// Renders a resource's three faces: skeleton while loading, a readable error, or its data.
import type { ComponentChildren } from "preact";
import type { ResourceState } from "../state/resource";
import { Skeleton } from "./ui";

interface Props<T> {
  state: ResourceState<T>;
  /** What to say when the server answers 404: the thing does not exist yet. */
  missing: string;
  lines?: number;
  children: (data: T) => ComponentChildren;
}

export function ResourceView<T>({ state, missing, lines = 4, children }: Props<T>) {
  if (state.data !== null) return <>{children(state.data)}</>;
  if (state.loading) return <Skeleton lines={lines} />;
  if (state.error) {
    return (
      <p
        class={state.status === 404 ? "muted" : "inline-error"}
        role={state.status === 404 ? undefined : "alert"}
      >
        {state.status === 404 ? missing : state.error}
      </p>
    );
  }
  return <Skeleton lines={lines} />;
}
