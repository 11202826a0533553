import { useEffect, useState } from "react";
import { fetchStatus } from "../api.js";
import type { StatusResponse } from "../contracts.js";

/** How often the page reads `/v1/status`. */
export const STATUS_POLL_MS = 15_000;

/** The latest status read, or the error of the latest attempt. */
export type StatusReading =
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly data: StatusResponse }
  | { readonly status: "error"; readonly message: string };

/** Reads `/v1/status` now and every `pollMs` after each answer, while mounted. */
export function useStatus(pollMs: number = STATUS_POLL_MS): StatusReading {
  const [reading, setReading] = useState<StatusReading>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const data = await fetchStatus(controller.signal);
        if (!controller.signal.aborted) setReading({ status: "ready", data });
      } catch (error) {
        if (controller.signal.aborted) return;
        setReading({ status: "error", message: error instanceof Error ? error.message : String(error) });
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), pollMs);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [pollMs]);
  return reading;
}
