// One remote value a component loads for itself: loaded again when `key` changes; an answer that
// comes back after the component moved on (another key, unmounted) is dropped.
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../transport";

export interface Loaded<T> {
  data?: T;
  error?: string;
}

export function useLoaded<T>(load: () => Promise<T>, key: unknown): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({});
  // `key`, not `load` (a new closure each render), says when to load again.
  useEffect(() => {
    let live = true;
    setState({});
    load()
      .then((data) => live && setState({ data }))
      .catch((e) => live && setState({ error: messageOf(e) }));
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
