import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** A multi-series line chart rendered to SVG with Vega-Lite (headless, no browser). */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export async function lineChartSvg(
  series: LineSeries[],
  opts: {
    title: string;
    xTitle: string;
    yTitle: string;
    yScale?: "linear" | "log";
    width?: number;
    height?: number;
  },
): Promise<string> {
  const values: Array<{ series: string; x: number; y: number }> = [];
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i];
      if (opts.yScale === "log" && !(y > 0)) continue;
      values.push({ series: s.name, x: s.x[i], y });
    }
  }
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: opts.title,
    width: opts.width ?? 640,
    height: opts.height ?? 360,
    data: { values },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: { field: "x", type: "quantitative", title: opts.xTitle },
      y: { field: "y", type: "quantitative", title: opts.yTitle, scale: { type: opts.yScale ?? "linear" } },
      color: { field: "series", type: "nominal", title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}
