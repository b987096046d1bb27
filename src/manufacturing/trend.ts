import { type BatchRecord, particlesPerMl } from "./batch.ts";
import { purityRatio } from "./purity.ts";

export interface TrendMetric {
  id: string;
  label: string;
  unit: string;
  read: (b: BatchRecord) => number | null;
}

export const TREND_METRICS: readonly TrendMetric[] = [
  { id: "sizeMode", label: "size mode", unit: "nm", read: (b) => b.sizeDistribution?.summary.modeNm ?? null },
  { id: "concentration", label: "concentration", unit: "particles/mL", read: (b) => particlesPerMl(b) },
  {
    id: "purity",
    label: "purity",
    unit: "particles/µg",
    read: (b) => {
      const p = particlesPerMl(b);
      return p && b.protein ? (purityRatio(p, b.protein.ugPerMl)?.particlesPerUg ?? null) : null;
    },
  },
  { id: "potency", label: "potency", unit: "(first assay)", read: (b) => b.potency[0]?.value ?? null },
];

export type TrendFlag = "beyond-3-sigma" | "run-of-7";

export interface TrendPoint {
  batchId: string;
  value: number;
  flags: TrendFlag[];
}

export interface ControlChart {
  metric: string;
  label: string;
  unit: string;
  n: number;
  mean: number;
  /** σ estimated from the mean moving range (MR̄/1.128), robust to a single shifted batch */
  sigma: number;
  lcl: number;
  ucl: number;
  points: TrendPoint[];
}

/**
 * Individuals (Shewhart I-MR) control chart over batches in production order. Limits are
 * mean ± 3σ; a point beyond them is flagged, and so is the 7th of 7 or more consecutive points on
 * one side of the mean (a shift). Needs at least 3 batches with a value; fewer gives no chart.
 */
export function controlChart(metric: TrendMetric, batches: readonly BatchRecord[]): ControlChart | null {
  const pts = batches
    .map((b) => ({ batchId: b.id, value: metric.read(b) }))
    .filter((p): p is { batchId: string; value: number } => p.value !== null && Number.isFinite(p.value));
  if (pts.length < 3) return null;
  const values = pts.map((p) => p.value);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  let mr = 0;
  for (let i = 1; i < values.length; i++) mr += Math.abs(values[i] - values[i - 1]);
  const sigma = mr / (values.length - 1) / 1.128;
  const lcl = mean - 3 * sigma;
  const ucl = mean + 3 * sigma;
  let runSide = 0;
  let runLength = 0;
  const points = pts.map((p) => {
    const flags: TrendFlag[] = [];
    if (sigma > 0 && (p.value > ucl || p.value < lcl)) flags.push("beyond-3-sigma");
    const side = Math.sign(p.value - mean);
    runLength = side !== 0 && side === runSide ? runLength + 1 : side !== 0 ? 1 : 0;
    runSide = side;
    if (runLength >= 7) flags.push("run-of-7");
    return { ...p, flags };
  });
  return {
    metric: metric.id,
    label: metric.label,
    unit: metric.unit,
    n: pts.length,
    mean,
    sigma,
    lcl,
    ucl,
    points,
  };
}

export function trendReport(batches: readonly BatchRecord[]): ControlChart[] {
  return TREND_METRICS.map((m) => controlChart(m, batches)).filter((c): c is ControlChart => c !== null);
}
