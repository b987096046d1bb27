import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A Shewhart control chart: batch values in order with the mean and the ±3σ limits. */
export interface ControlChartData {
  metric: string;
  label: string;
  unit: string;
  mean: number;
  lcl: number;
  ucl: number;
  points: { batchId: string; value: number; flags: string[] }[];
}

export function ControlChart({ chart }: { chart: ControlChartData }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current || chart.points.length === 0) return;
    const xs = chart.points.map((_, i) => i + 1);
    const flat = (v: number) => xs.map(() => v);
    const fmt = (v: number) => (Math.abs(v) >= 1e4 ? v.toExponential(1) : v.toPrecision(3));
    const plot = new uPlot(
      {
        title: chart.unit.startsWith("(") ? `${chart.label} ${chart.unit}` : `${chart.label} (${chart.unit})`,
        width: Math.max(320, Math.min(560, host.current.clientWidth || 480)),
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { label: "batch (in order)", values: (_u, v) => v.map((x) => chart.points[x - 1]?.batchId ?? "") },
          { label: chart.unit, size: 70, values: (_u, v) => v.map(fmt) },
        ],
        series: [
          {},
          { label: chart.label, stroke: "#1f77b4", points: { size: 7 } },
          { label: "mean", stroke: "#555", dash: [4, 4] },
          { label: "UCL (+3σ)", stroke: "#d62728", dash: [6, 3] },
          { label: "LCL (−3σ)", stroke: "#d62728", dash: [6, 3] },
        ],
      },
      [xs, chart.points.map((p) => p.value), flat(chart.mean), flat(chart.ucl), flat(chart.lcl)],
      host.current,
    );
    return () => plot.destroy();
  }, [chart]);
  const flagged = chart.points.filter((p) => p.flags.length > 0);
  return (
    <div data-testid={`control-chart-${chart.metric}`}>
      <div ref={host} />
      {flagged.length > 0 && (
        <p className="error">
          out of trend: {flagged.map((p) => `${p.batchId} (${p.flags.join(", ")})`).join("; ")}
        </p>
      )}
    </div>
  );
}
