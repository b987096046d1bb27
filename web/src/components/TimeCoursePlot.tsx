import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** Time courses with uPlot: x in days after injury, y with its unit, a legend with every series. */

export interface PlotSeries {
  label: string;
  /** null = gap */
  values: (number | null)[];
  color: string;
  dash?: number[];
}

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#393b79",
  "#637939",
];

export function TimeCoursePlot(props: {
  timesH: number[];
  series: PlotSeries[];
  yLabel: string;
  title?: string;
  height?: number;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => `${s.label}|${s.color}`).join(",") + props.yLabel;

  // rebuild when the set of series changes; otherwise only the data is replaced (cheap)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the series set; data goes through setData
  useEffect(() => {
    if (!host.current) return;
    const width = Math.max(320, host.current.clientWidth || 640);
    const opts: uPlot.Options = {
      title: props.title,
      width,
      height: props.height ?? 320,
      scales: { x: { time: false } },
      axes: [
        { label: "time after injury (days)", values: (_u, v) => v.map((x) => fmtDays(x)) },
        { label: props.yLabel, size: 64, values: (_u, v) => v.map(fmtValue) },
      ],
      series: [
        { label: "day", value: (_u, v) => (v == null ? "–" : fmtDays(v)) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          value: (_u: uPlot, v: number | null) => (v == null ? "–" : v.toFixed(3)),
        })),
      ],
      legend: { live: true },
    };
    plot.current = new uPlot(opts, toData(props.timesH, props.series), host.current);
    const onResize = () =>
      plot.current?.setSize({ width: host.current?.clientWidth || width, height: props.height ?? 320 });
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, props.title, props.height]);

  useEffect(() => {
    plot.current?.setData(toData(props.timesH, props.series));
  }, [props.timesH, props.series]);

  return <div className="plot" ref={host} data-testid={props.testId} />;
}

function toData(timesH: number[], series: PlotSeries[]): uPlot.AlignedData {
  return [timesH.map((t) => t / 24), ...series.map((s) => s.values)] as uPlot.AlignedData;
}

function fmtValue(v: number): string {
  return Math.abs(v) >= 1e5 ? v.toExponential(1) : String(+v.toPrecision(4));
}

function fmtDays(d: number): string {
  return Number.isInteger(d) ? String(d) : d.toFixed(1);
}
