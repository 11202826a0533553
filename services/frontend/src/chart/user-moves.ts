/** What the chart's view follows: the data it was fitted to, until the user moves it. */
export interface ViewState {
  /** The ticker and date the view was fitted for. */
  key: string | null;
  /** The user has zoomed or scrolled since: the view is left as they put it. */
  userMoved: boolean;
  /** Bar slots on the time scale (bars, and the session's minutes still to come). */
  slots: number;
}

/** A press that moves less than this is a click, not a drag. */
const DRAG_PX = 4;

/**
 * Calls `onMove` when the user zooms or scrolls the chart in `element`: a wheel turn, or a
 * drag (mouse, pen or finger, pinches included) over the plot or an axis. A click is not a
 * move. Listens in the capture phase, before the chart's own handlers. Returns the cleanup.
 */
export function followUserMoves(element: HTMLElement, onMove: () => void): () => void {
  let start: { readonly x: number; readonly y: number } | undefined;
  const listeners: [string, (event: PointerEvent) => void][] = [
    ["pointerdown", (event) => (start = { x: event.clientX, y: event.clientY })],
    [
      "pointermove",
      (event) => {
        if (start === undefined || event.buttons === 0) return;
        if (Math.hypot(event.clientX - start.x, event.clientY - start.y) >= DRAG_PX) onMove();
      },
    ],
    ["pointerup", () => (start = undefined)],
    ["pointercancel", () => (start = undefined)],
  ];
  const onWheel = () => onMove();
  const options = { capture: true, passive: true } as const;
  element.addEventListener("wheel", onWheel, options);
  for (const [type, listener] of listeners)
    element.addEventListener(type, listener as EventListener, options);
  return () => {
    element.removeEventListener("wheel", onWheel, options);
    for (const [type, listener] of listeners)
      element.removeEventListener(type, listener as EventListener, options);
  };
}
