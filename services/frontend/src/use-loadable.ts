import { useCallback, useEffect, useRef, useState } from "react";

/** A value fetched from the API, with its loading and error states. */
export type Loadable<T> =
  | { readonly status: "loading" }
  | { readonly status: "error"; readonly message: string }
  | { readonly status: "ready"; readonly data: T };

/**
 * Runs `load` whenever `key` changes (aborting the previous run) and tracks its
 * state. `update` edits the loaded value in place (live updates); `reload` fetches
 * again for the same key, keeping the loaded value on screen until the new one arrives.
 * `load` is read at the time `key` changes, so it may close over values that `key` encodes.
 */
export function useLoadable<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): { state: Loadable<T>; update: (change: (data: T) => T) => void; reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const loadedKey = useRef<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const sameKey = loadedKey.current === key;
    loadedKey.current = key;
    setState((current) => (sameKey && current.status === "ready" ? current : { status: "loading" }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "error", message: errorMessage(error) });
      },
    );
    return () => controller.abort();
    // `load` is deliberately not a dependency: `key` names everything it reads.
  }, [key, generation]);

  const update = useCallback(
    (change: (data: T) => T) =>
      setState((current) =>
        current.status === "ready" ? { status: "ready", data: change(current.data) } : current,
      ),
    [],
  );
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { state, update, reload };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
