// Tree-shaken ECharts: only the series and components the console draws.
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

export type { EChartsCoreOption as ChartOption } from "echarts/core";
export type ECharts = echarts.ECharts;

// Registered from a function, not at the top level: the package is marked side-effect free,
// so a bare `echarts.use()` in a module only re-exported from would be dropped by the bundler.
let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  echarts.use([
    BarChart,
    LineChart,
    ScatterChart,
    GridComponent,
    LegendComponent,
    MarkAreaComponent,
    MarkLineComponent,
    TitleComponent,
    TooltipComponent,
    CanvasRenderer,
  ]);
}

/** An ECharts instance on `el`, with the console's charts and components registered. */
export function initChart(el: HTMLElement): ECharts {
  register();
  return echarts.init(el, null, { renderer: "canvas" });
}
