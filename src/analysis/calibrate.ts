import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import "../scenario/all-readouts.ts";
import { readoutValue } from "../scenario/readouts.ts";
import { Scenario } from "../scenario/schema.ts";
import { type SimulationResult, simulate } from "../scenario/simulate.ts";

/**
 * Calibration report: every target of data/calibration.yaml (value, difference or ratio of readouts)
 * computed with the model as it stands and compared with its acceptance interval. Honest by design:
 * nothing here changes a parameter.
 */

/**
 * Observation model of a target (what the likelihood of src/analysis/likelihood.ts uses): the observed
 * value is mean ± sd, Gaussian. `basis` says where the sd comes from (a reported SD, a 95% CI converted
 * to the SD of a mean, a spread widened for between-study heterogeneity, or an assumption).
 */
export const Observed = z
  .object({
    mean: z.number(),
    sd: z.number().positive(),
    ci95: z.tuple([z.number(), z.number()]).optional(),
    basis: z.string().min(3),
  })
  .strict();
export type Observed = z.infer<typeof Observed>;
/**
 * A one-sided or two-sided bound instead of a measured value (e.g. "intramyocardial gain not more than
 * 1.5x the intravenous one"). In the likelihood a value outside costs a Gaussian tail of width `scale`
 * (a soft wall: a hard one would make the posterior's edge depend on solver noise).
 */
export const Bound = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    scale: z.number().positive(),
    basis: z.string().min(3),
  })
  .strict()
  .refine((b) => b.min !== undefined || b.max !== undefined, { message: "a bound needs min or max" });
export type Bound = z.infer<typeof Bound>;

const Source = z.union([
  z.string().min(3),
  z.object({ ref: z.string().min(3), note: z.string().optional() }),
]);
export const CalibrationTarget = z
  .object({
    id: z.string().min(1),
    description: z.string().min(1),
    kind: z.enum(["value", "difference", "ratio", "gain_ratio"]),
    scenario: Scenario,
    reference: Scenario.optional(),
    /** gain_ratio only: the common baseline, (scenario − baseline) / (reference − baseline) */
    baseline: Scenario.optional(),
    readout: z.string().min(1),
    time_h: z.number().nonnegative(),
    time_basis: z.string().optional(),
    target: z.number(),
    accept: z.tuple([z.number(), z.number()]).optional(),
    tolerance: z.number().positive().optional(),
    source: Source,
    observed: Observed.optional(),
    bound: Bound.optional(),
    /** why the model is expected to miss this target (a miss with a reason does not fail the report) */
    known_miss_reason: z.string().min(3).optional(),
    /**
     * why this target is reported but left out of the likelihood (a different measurement than the
     * model's readout, e.g. cine-MRI EF vs M-mode Teichholz EF); absent: in the likelihood
     */
    not_fitted: z.string().min(3).optional(),
  })
  .refine((t) => t.kind === "value" || t.reference !== undefined, {
    message: "difference and ratio targets need a reference",
  })
  .refine((t) => t.accept !== undefined || (t.kind === "ratio" && t.tolerance !== undefined), {
    message: "give `accept`, or `tolerance` for a ratio target",
  })
  .refine((t) => t.kind !== "gain_ratio" || t.baseline !== undefined, {
    message: "a gain_ratio target needs a baseline",
  })
  .refine((t) => (t.observed === undefined) !== (t.bound === undefined), {
    message: "give exactly one observation model: `observed` (mean, sd) or `bound`",
  });
export type CalibrationTarget = z.infer<typeof CalibrationTarget>;
const CalibrationFile = z.object({
  defaults: z.unknown().optional(),
  targets: z.array(CalibrationTarget).min(1),
});

export const CALIBRATION_PATH = fileURLToPath(new URL("../../data/calibration.yaml", import.meta.url));

export function loadCalibrationTargets(path = CALIBRATION_PATH): CalibrationTarget[] {
  return CalibrationFile.parse(parse(readFileSync(path, "utf8"))).targets;
}

/** The interval that counts as reproduced. Ratio targets with a tolerance: effect (ratio − 1) within ±tol. */
export function acceptInterval(t: CalibrationTarget): [number, number] {
  if (t.accept) return t.accept;
  const tol = t.tolerance!;
  const a = 1 + (t.target - 1) * (1 - tol);
  const b = 1 + (t.target - 1) * (1 + tol);
  // a ratio of two positive readouts cannot go below 0
  return [Math.max(0, Math.min(a, b)), Math.max(a, b)];
}

/** The literal reading "within ±tol of the reported ratio", reported alongside for ratio targets. */
export function literalRatioInterval(t: CalibrationTarget): [number, number] | null {
  if (t.kind !== "ratio" || t.tolerance === undefined) return null;
  return [t.target * (1 - t.tolerance), t.target * (1 + t.tolerance)];
}

export const sourceText = (s: CalibrationTarget["source"]) => (typeof s === "string" ? s : s.ref);

/** The scenarios a target reads: scenario, then reference and baseline when it has them. */
export function targetScenarios(t: CalibrationTarget): Scenario[] {
  return [t.scenario, t.reference, t.baseline].filter((s): s is Scenario => s !== undefined);
}

/** A target's model value from the readout of its scenario (a), reference (b) and baseline (c). */
export function combine(
  kind: CalibrationTarget["kind"],
  a: number,
  b: number | null,
  c: number | null,
): number {
  switch (kind) {
    case "value":
      return a;
    case "difference":
      return a - b!;
    case "ratio":
      return a / b!;
    case "gain_ratio":
      return (a - c!) / (b! - c!);
  }
}

export interface CalibrationRow {
  target: CalibrationTarget;
  model: number;
  scenarioValue: number;
  referenceValue: number | null;
  accept: [number, number];
  pass: boolean;
  literal: [number, number] | null;
  literalPass: boolean | null;
}

export function runCalibration(
  targets: CalibrationTarget[] = loadCalibrationTargets(),
  opts: { onProgress?: (done: number, total: number) => void } = {},
): CalibrationRow[] {
  // one simulation per distinct scenario, with every time any target reads from it
  const times = new Map<string, Set<number>>();
  const keyOf = (s: Scenario) => JSON.stringify(s);
  for (const t of targets)
    for (const s of targetScenarios(t)) {
      if (!s) continue;
      const k = keyOf(s);
      if (!times.has(k)) times.set(k, new Set());
      times.get(k)!.add(t.time_h);
    }
  const results = new Map<string, SimulationResult>();
  const value = (s: Scenario, id: string, t: number) => {
    const k = keyOf(s);
    let r = results.get(k);
    if (!r) {
      r = simulate(s, { include: [...times.get(k)!] });
      results.set(k, r);
    }
    return readoutValue(r, id, t);
  };
  return targets.map((t, i) => {
    const a = value(t.scenario, t.readout, t.time_h);
    const b = t.reference ? value(t.reference, t.readout, t.time_h) : null;
    const c = t.baseline ? value(t.baseline, t.readout, t.time_h) : null;
    const model = combine(t.kind, a, b, c);
    const accept = acceptInterval(t);
    const literal = literalRatioInterval(t);
    opts.onProgress?.(i + 1, targets.length);
    return {
      target: t,
      model,
      scenarioValue: a,
      referenceValue: b,
      accept,
      pass: Number.isFinite(model) && model >= accept[0] && model <= accept[1],
      literal,
      literalPass: literal ? model >= literal[0] && model <= literal[1] : null,
    };
  });
}
