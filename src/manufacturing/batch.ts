import { z } from "zod";
import { findMarker, MARKER_NAMES } from "./markers.ts";
import { SizeDistribution } from "./size-distribution.ts";

export const BATCH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ISOLATION_METHOD_IDS = ["uc", "dgc", "sec", "tff", "af4", "precipitation", "other"] as const;

export const MarkerResult = z.enum(["positive", "negative", "not-tested"]);
export type MarkerResult = z.infer<typeof MarkerResult>;

/** Marker names are validated against the catalogue and stored under their canonical name. */
const Markers = z.record(z.string(), MarkerResult).transform((rec, ctx) => {
  const out: Record<string, MarkerResult> = {};
  for (const [key, value] of Object.entries(rec)) {
    const m = findMarker(key);
    if (!m) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `unknown marker "${key}"; known: ${MARKER_NAMES.join(", ")}`,
      });
      continue;
    }
    out[m.name] = value;
  }
  return out;
});

const PotencyResult = z
  .object({
    assay: z.string().min(1),
    value: z.number(),
    unit: z.string().min(1),
    /** the specification or reference the value is compared to, free text */
    reference: z.string().optional(),
  })
  .strict();

/**
 * A batch (lot) record of HUCMSC-Exos: where it came from, how it was isolated, and every
 * characterization result. All results are optional: a missing result is reported as missing by
 * the MISEV and release checks, never assumed.
 */
export const BatchRecord = z
  .object({
    id: z.string().regex(BATCH_ID_PATTERN, "letters, digits, '.', '_' or '-', up to 64 characters"),
    product: z.string().default("HUCMSC-Exos"),
    source: z
      .object({
        cellType: z.enum(["HUCMSC", "BM-MSC", "AD-MSC", "other"]).default("HUCMSC"),
        donor: z.string().min(1),
        passage: z.number().int().min(0).max(60),
        cultureConditions: z.string().optional(),
        preconditioning: z.string().optional(),
        /** source amount (MISEV): producing cells and/or conditioned medium volume */
        cellCount: z.number().positive().optional(),
        conditionedMediumMl: z.number().positive().optional(),
      })
      .strict(),
    isolation: z
      .object({
        method: z.enum(ISOLATION_METHOD_IDS),
        date: z.string().optional(),
        operator: z.string().optional(),
        notes: z.string().optional(),
      })
      .strict(),
    productVolumeMl: z.number().positive().optional(),
    sizeDistribution: SizeDistribution.optional(),
    /** particle concentration measured separately; otherwise taken from the size distribution */
    concentration: z
      .object({ particlesPerMl: z.number().positive(), method: z.string().min(1) })
      .strict()
      .optional(),
    protein: z
      .object({ ugPerMl: z.number().positive(), method: z.string().min(1) })
      .strict()
      .optional(),
    lipid: z
      .object({ value: z.number().positive(), unit: z.string().min(1), method: z.string().min(1) })
      .strict()
      .optional(),
    markers: Markers.default({}),
    markerMethod: z.string().optional(),
    singleVesicleImaging: z
      .object({
        method: z.string().min(1),
        /** true when vesicles show the expected lipid-bilayer, cup-shaped morphology */
        conforms: z.boolean(),
        notes: z.string().optional(),
      })
      .strict()
      .optional(),
    sterility: z.enum(["negative", "positive"]).optional(),
    endotoxinEuPerMl: z.number().nonnegative().optional(),
    mycoplasma: z.enum(["negative", "positive"]).optional(),
    potency: z.array(PotencyResult).default([]),
  })
  .strict();
export type BatchRecord = z.infer<typeof BatchRecord>;
export type BatchRecordInput = z.input<typeof BatchRecord>;

/** Particles per mL of the batch: a direct measurement, else the size distribution's total. */
export function particlesPerMl(b: BatchRecord): number | null {
  return b.concentration?.particlesPerMl ?? b.sizeDistribution?.summary.concentrationPerMl ?? null;
}
