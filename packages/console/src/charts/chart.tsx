import { useEffect, useRef } from "react";
import type { ChartClick } from "./clicked-unit";
import { type ChartOption, type ECharts, initChart } from "./echarts";

/** One ECharts instance bound to a div; `option` replaces the previous one (no merge). */
export function Chart(props: {
  option: ChartOption;
  height: number;
  testId?: string;
  onClick?: (params: ChartClick) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(props.onClick);
  click.current = props.onClick;

  useEffect(() => {
    const c = initChart(ref.current!);
    chart.current = c;
    c.on("click", (p) => click.current?.(p as never));
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(ref.current!);
    return () => {
      resize.disconnect();
      c.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
    // The option as data, so browser tests can check what is drawn without reading pixels.
    ref.current?.setAttribute("data-series", JSON.stringify(seriesSummary(props.option)));
  }, [props.option]);

  return <div ref={ref} className="chart" style={{ height: props.height }} data-testid={props.testId} />;
}

type Marks = { data?: unknown[] } | undefined;

/** Each series' name and data, and the data of its marked lines and areas where it has them. */
function seriesSummary(option: ChartOption): unknown {
  const series =
    (option as { series?: { name?: string; data?: unknown[]; markLine?: Marks; markArea?: Marks }[] })
      .series ?? [];
  return series.map((s) => ({
    name: s.name,
    data: s.data,
    ...(s.markLine?.data ? { markLine: s.markLine.data } : {}),
    ...(s.markArea?.data ? { markArea: s.markArea.data } : {}),
  }));
}
