import { useEffect, useRef, useState } from "react";
import { streamUrl } from "../api.js";
import { streamBarEventSchema, streamNewsEventSchema, type Candle, type NewsItem } from "../contracts.js";
import { reconnectDelay } from "./reconnect.js";

/** What the live indicator shows. */
export type StreamStatus = "off" | "connecting" | "live" | "reconnecting";

export interface StreamHandlers {
  readonly onBar: (bar: Candle) => void;
  readonly onNews: (item: NewsItem) => void;
  /** Called when the stream opens again after a break: bars may have been missed meanwhile. */
  readonly onResync: () => void;
}

/**
 * Subscribes to `/v1/stream` for `ticker` while `enabled`. The browser's
 * EventSource retries dropped connections by itself; when the server refuses
 * (the source ends up CLOSED) a new one is opened with exponential backoff.
 */
export function useLiveStream(
  ticker: string | undefined,
  enabled: boolean,
  handlers: StreamHandlers,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("off");
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!enabled || ticker === undefined || typeof EventSource === "undefined") {
      setStatus("off");
      return;
    }
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let openedBefore = false;

    const connect = () => {
      const current = new EventSource(streamUrl(ticker));
      source = current;
      setStatus(openedBefore || attempt > 0 ? "reconnecting" : "connecting");
      current.onopen = () => {
        if (openedBefore) latest.current.onResync();
        openedBefore = true;
        attempt = 0;
        setStatus("live");
      };
      current.onerror = () => {
        setStatus("reconnecting");
        if (current.readyState === EventSource.CLOSED) {
          current.close();
          timer = setTimeout(connect, reconnectDelay(attempt++));
        }
      };
      current.addEventListener("bar", (event) => {
        const parsed = streamBarEventSchema.safeParse(parseData(event));
        if (!parsed.success) return reportBadEvent("bar", parsed.error);
        const { ticker: barTicker, ...bar } = parsed.data;
        if (barTicker === ticker) latest.current.onBar(bar);
      });
      current.addEventListener("news", (event) => {
        const parsed = streamNewsEventSchema.safeParse(parseData(event));
        if (!parsed.success) return reportBadEvent("news", parsed.error);
        const { ticker: newsTicker, ...item } = parsed.data;
        if (newsTicker === ticker) latest.current.onNews(item);
      });
    };

    connect();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }, [ticker, enabled]);

  return status;
}

function parseData(event: Event): unknown {
  try {
    return JSON.parse((event as MessageEvent<string>).data);
  } catch {
    return undefined;
  }
}

// A malformed event is the server's bug: say so once in the console, keep the stream.
function reportBadEvent(kind: string, error: unknown): void {
  console.error(`ignored a malformed "${kind}" stream event`, error);
}
