import { z } from "zod";

/** One histogram bin: its centre and the particles per mL of sample that fall in it (dilution-corrected). */
export const SizeBin = z
  .object({ sizeNm: z.number().positive(), particlesPerMl: z.number().nonnegative() })
  .strict();
export type SizeBin = z.infer<typeof SizeBin>;

export const SizeSummary = z
  .object({
    modeNm: z.number(),
    meanNm: z.number(),
    sdNm: z.number(),
    d10Nm: z.number(),
    d50Nm: z.number(),
    d90Nm: z.number(),
    /** (D90 − D10) / D50 */
    span: z.number(),
    /** share of particles between 40 and 200 nm (0..1) */
    fraction40to200: z.number(),
    /** total particles per mL of the undiluted sample; null when the file gives only relative counts */
    concentrationPerMl: z.number().nullable(),
  })
  .strict();
export type SizeSummary = z.infer<typeof SizeSummary>;

export const Instrument = z.enum(["nanosight", "zetaview", "csv"]);
export type Instrument = z.infer<typeof Instrument>;

export const SizeDistribution = z
  .object({
    instrument: Instrument,
    sourceFile: z.string(),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
    dilutionFactor: z.number().positive(),
    /** where the dilution came from: recorded in the file, given on import, or not known (1 assumed) */
    dilutionSource: z.enum(["file", "option", "none"]),
    /** false when bins hold relative counts only (plain CSV without a concentration column) */
    absolute: z.boolean(),
    replicates: z.number().int().positive(),
    bins: z.array(SizeBin).min(3),
    summary: SizeSummary,
    /** summary values printed by the instrument software, kept for cross-checking */
    reported: z.record(z.string(), z.number()).default({}),
    warnings: z.array(z.string()).default([]),
  })
  .strict();
export type SizeDistribution = z.infer<typeof SizeDistribution>;

/** Bin edges from centres: midpoints between neighbours, half a spacing beyond the ends (never below 0). */
export function binEdges(centres: readonly number[]): number[] {
  const n = centres.length;
  const edges = new Array<number>(n + 1);
  for (let i = 1; i < n; i++) edges[i] = (centres[i - 1] + centres[i]) / 2;
  edges[0] = Math.max(0, centres[0] - (edges[1] - centres[0]));
  edges[n] = centres[n - 1] + (centres[n - 1] - edges[n - 1]);
  return edges;
}

/** Size below which a fraction `q` of particles lie, interpolating linearly inside the bin. */
export function percentile(bins: readonly SizeBin[], q: number): number {
  const edges = binEdges(bins.map((b) => b.sizeNm));
  const total = bins.reduce((s, b) => s + b.particlesPerMl, 0);
  const target = q * total;
  let cum = 0;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i].particlesPerMl;
    if (c > 0 && cum + c >= target) return edges[i] + ((target - cum) / c) * (edges[i + 1] - edges[i]);
    cum += c;
  }
  return edges[bins.length];
}

/** Share of particles between `lowNm` and `highNm`, counting the overlapping part of each bin. */
export function fractionBetween(bins: readonly SizeBin[], lowNm: number, highNm: number): number {
  const edges = binEdges(bins.map((b) => b.sizeNm));
  let total = 0;
  let inside = 0;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i].particlesPerMl;
    total += c;
    const overlap = Math.max(0, Math.min(highNm, edges[i + 1]) - Math.max(lowNm, edges[i]));
    inside += (c * overlap) / (edges[i + 1] - edges[i]);
  }
  return total > 0 ? inside / total : 0;
}

/** Number-weighted statistics of a size histogram. */
export function summarize(bins: readonly SizeBin[], absolute = true): SizeSummary {
  const total = bins.reduce((s, b) => s + b.particlesPerMl, 0);
  if (!(total > 0)) throw new Error("size distribution has no particles");
  let mode = bins[0];
  let sum = 0;
  for (const b of bins) {
    if (b.particlesPerMl > mode.particlesPerMl) mode = b;
    sum += b.sizeNm * b.particlesPerMl;
  }
  const mean = sum / total;
  const variance = bins.reduce((s, b) => s + b.particlesPerMl * (b.sizeNm - mean) ** 2, 0) / total;
  const d10 = percentile(bins, 0.1);
  const d50 = percentile(bins, 0.5);
  const d90 = percentile(bins, 0.9);
  return {
    modeNm: mode.sizeNm,
    meanNm: mean,
    sdNm: Math.sqrt(variance),
    d10Nm: d10,
    d50Nm: d50,
    d90Nm: d90,
    span: (d90 - d10) / d50,
    fraction40to200: fractionBetween(bins, 40, 200),
    concentrationPerMl: absolute ? total : null,
  };
}
