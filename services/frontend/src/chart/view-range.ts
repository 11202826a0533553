/** A range of bar slots on the chart's time scale (lightweight-charts' logical range). */
export interface SlotRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Room kept free at each end of the time axis, in pixels: its time labels are centred on
 * their bar, so a label on the first or last bar would otherwise be cut by the edge (and,
 * on the right, by the price scale).
 */
export const EDGE_MARGIN_PX = { left: 24, right: 24 } as const;

/**
 * The logical range that shows `slots` bar slots (indexes 0 to slots-1) across a time
 * scale `widthPx` wide, with `margin` pixels free before the first and after the last.
 */
export function rangeShowingAll(
  slots: number,
  widthPx: number,
  margin: { readonly left: number; readonly right: number } = EDGE_MARGIN_PX,
): SlotRange {
  const count = Math.max(slots, 1);
  const width = Math.max(widthPx, 1);
  // The margins never take more than half the width: a very narrow chart shrinks them.
  const asked = margin.left + margin.right;
  const scale = asked === 0 ? 0 : Math.min(asked, width / 2) / asked;
  const spacing = (width - asked * scale) / count;
  return {
    from: -0.5 - (margin.left * scale) / spacing,
    to: count - 0.5 + (margin.right * scale) / spacing,
  };
}
