import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { type BatchRecord, particlesPerMl } from "./batch.ts";
import { findMarker, MARKER_NAMES } from "./markers.ts";
import { checkMisev2023 } from "./misev.ts";
import { purityRatio } from "./purity.ts";
import { fractionBetween } from "./size-distribution.ts";

type Value = number | string | boolean | null;

/** The criterion options a parameter reader looks at. */
interface ReadOptions {
  rangeNm?: [number, number];
  assay?: string;
}

interface Parameter {
  kind: "number" | "category";
  unit?: string;
  read: (b: BatchRecord, c: ReadOptions) => Value;
}

/** What a criterion can test. `marker.<NAME>` works for every catalogued marker. */
const PARAMETERS: Record<string, Parameter> = {
  "size.modeNm": { kind: "number", unit: "nm", read: (b) => b.sizeDistribution?.summary.modeNm ?? null },
  "size.meanNm": { kind: "number", unit: "nm", read: (b) => b.sizeDistribution?.summary.meanNm ?? null },
  "size.d10Nm": { kind: "number", unit: "nm", read: (b) => b.sizeDistribution?.summary.d10Nm ?? null },
  "size.d50Nm": { kind: "number", unit: "nm", read: (b) => b.sizeDistribution?.summary.d50Nm ?? null },
  "size.d90Nm": { kind: "number", unit: "nm", read: (b) => b.sizeDistribution?.summary.d90Nm ?? null },
  "size.span": { kind: "number", read: (b) => b.sizeDistribution?.summary.span ?? null },
  "size.fraction": {
    kind: "number",
    unit: "fraction",
    read: (b, c) => {
      const sd = b.sizeDistribution;
      const [lo, hi] = c.rangeNm ?? [40, 200];
      return sd ? fractionBetween(sd.bins, lo, hi) : null;
    },
  },
  "concentration.particlesPerMl": { kind: "number", unit: "particles/mL", read: (b) => particlesPerMl(b) },
  totalParticles: {
    kind: "number",
    unit: "particles",
    read: (b) => {
      const p = particlesPerMl(b);
      return p && b.productVolumeMl ? p * b.productVolumeMl : null;
    },
  },
  "protein.ugPerMl": { kind: "number", unit: "µg/mL", read: (b) => b.protein?.ugPerMl ?? null },
  "purity.particlesPerUg": {
    kind: "number",
    unit: "particles/µg",
    read: (b) => {
      const p = particlesPerMl(b);
      return p && b.protein ? (purityRatio(p, b.protein.ugPerMl)?.particlesPerUg ?? null) : null;
    },
  },
  endotoxinEuPerMl: { kind: "number", unit: "EU/mL", read: (b) => b.endotoxinEuPerMl ?? null },
  potency: {
    kind: "number",
    read: (b, c) => {
      const hit = c.assay
        ? b.potency.find((p) => p.assay.toLowerCase() === c.assay?.toLowerCase())
        : b.potency[0];
      return hit?.value ?? null;
    },
  },
  sterility: { kind: "category", read: (b) => b.sterility ?? null },
  mycoplasma: { kind: "category", read: (b) => b.mycoplasma ?? null },
  "imaging.conforms": { kind: "category", read: (b) => b.singleVesicleImaging?.conforms ?? null },
  misev: {
    kind: "category",
    // an incomplete MISEV characterization is a missing result, not a failed one
    read: (b) => {
      const v = checkMisev2023(b).verdict;
      return v === "missing" ? null : v;
    },
  },
};

function parameterOf(name: string): Parameter | undefined {
  if (name.startsWith("marker.")) {
    const m = findMarker(name.slice("marker.".length));
    if (!m) return undefined;
    return {
      kind: "category" as const,
      read: (b: BatchRecord): Value => {
        const r = b.markers[m.name];
        return r && r !== "not-tested" ? r : null;
      },
    };
  }
  return PARAMETERS[name];
}

export const PARAMETER_NAMES = [...Object.keys(PARAMETERS), ...MARKER_NAMES.map((m) => `marker.${m}`)];

export const Criterion = z
  .object({
    id: z.string().min(1),
    description: z.string().optional(),
    parameter: z.string().refine((p) => parameterOf(p) !== undefined, {
      message: `unknown parameter; allowed: ${PARAMETER_NAMES.join(", ")}`,
    }),
    min: z.number().optional(),
    max: z.number().optional(),
    minExclusive: z.boolean().default(false),
    maxExclusive: z.boolean().default(false),
    equals: z.union([z.string(), z.boolean()]).optional(),
    /** for size.fraction: the size window in nm */
    rangeNm: z.tuple([z.number(), z.number()]).optional(),
    /** for potency: which assay */
    assay: z.string().optional(),
    unit: z.string().optional(),
    /** a missing result blocks release only when required */
    required: z.boolean().default(true),
    source: z.string().optional(),
    assumption: z.boolean().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const p = parameterOf(c.parameter);
    if (!p) return;
    if (p.kind === "number" && c.min === undefined && c.max === undefined) {
      ctx.addIssue({ code: "custom", message: `numeric parameter ${c.parameter} needs min and/or max` });
    }
    if (p.kind === "category" && c.equals === undefined) {
      ctx.addIssue({ code: "custom", message: `parameter ${c.parameter} needs 'equals'` });
    }
    if (!c.source && !c.assumption) {
      ctx.addIssue({ code: "custom", message: "a criterion needs a `source` or `assumption: true`" });
    }
  });
export type Criterion = z.infer<typeof Criterion>;

export const ReleaseSpec = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    criteria: z.array(Criterion).min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.criteria.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: "custom", path: ["criteria", i, "id"], message: `duplicate id ${c.id}` });
      seen.add(c.id);
    });
  });
export type ReleaseSpec = z.infer<typeof ReleaseSpec>;

export const DEFAULT_SPEC_FILE = fileURLToPath(new URL("../../data/release-spec.yaml", import.meta.url));

export function loadReleaseSpec(file = DEFAULT_SPEC_FILE): ReleaseSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError("spec", file, [], "file not found or unreadable");
  }
  return ReleaseSpec.parse(parseYaml(text));
}

export type CriterionVerdict = "pass" | "fail" | "missing";

export interface CriterionResult {
  id: string;
  description: string;
  parameter: string;
  acceptance: string;
  value: Value;
  verdict: CriterionVerdict;
  required: boolean;
}

export interface ReleaseReport {
  spec: string;
  version: string;
  /** release: all required criteria pass; reject: any fails; incomplete: none fails but results are missing */
  decision: "release" | "reject" | "incomplete";
  results: CriterionResult[];
}

export function acceptanceText(c: Criterion): string {
  const unit = c.unit ? ` ${c.unit}` : "";
  const n = (v: number) => (Math.abs(v) >= 1e5 ? v.toExponential(1) : String(v));
  if (c.equals !== undefined) return `= ${c.equals}`;
  const lo = c.min !== undefined ? `${c.minExclusive ? ">" : "≥"} ${n(c.min)}${unit}` : "";
  const hi = c.max !== undefined ? `${c.maxExclusive ? "<" : "≤"} ${n(c.max)}${unit}` : "";
  return [lo, hi].filter(Boolean).join(" and ");
}

export function evaluateCriterion(b: BatchRecord, c: Criterion): CriterionResult {
  const p = parameterOf(c.parameter);
  if (!p) throw new InputError("parameter", c.parameter, PARAMETER_NAMES);
  const value = p.read(b, c);
  let verdict: CriterionVerdict;
  if (value === null || value === undefined) verdict = "missing";
  else if (c.equals !== undefined) verdict = value === c.equals ? "pass" : "fail";
  else if (typeof value !== "number") verdict = "fail";
  else {
    const lowOk = c.min === undefined || (c.minExclusive ? value > c.min : value >= c.min);
    const highOk = c.max === undefined || (c.maxExclusive ? value < c.max : value <= c.max);
    verdict = lowOk && highOk ? "pass" : "fail";
  }
  return {
    id: c.id,
    description: c.description ?? c.parameter,
    parameter: c.parameter,
    acceptance: acceptanceText(c),
    value,
    verdict,
    required: c.required,
  };
}

export function evaluateRelease(b: BatchRecord, spec: ReleaseSpec): ReleaseReport {
  const results = spec.criteria.map((c) => evaluateCriterion(b, c));
  const decision = results.some((r) => r.verdict === "fail")
    ? "reject"
    : results.some((r) => r.required && r.verdict === "missing")
      ? "incomplete"
      : "release";
  return { spec: spec.name, version: spec.version, decision, results };
}
