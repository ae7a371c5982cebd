/** What ECharts passes to a click handler, as far as the console reads it. */
export interface ChartClick {
  seriesId?: string;
  seriesName?: string;
  name?: string;
  data?: unknown;
}

/**
 * The unit whose line was clicked, or null when the click was not on a unit's line. Each unit's
 * series has the unit's id as its id: names repeat (two schools called 第一中学), ids do not.
 */
export function clickedUnit(p: ChartClick, units: { unitId: string }[]): string | null {
  const id = p.seriesId;
  return id !== undefined && units.some((u) => u.unitId === id) ? id : null;
}
