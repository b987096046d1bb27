import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import type { Scenario } from "../scenario/schema.ts";
import { type TissueParams, tissueParams } from "../tissue/model.ts";
import { applyStandardOfCare, type Multipliers, type Regimen } from "../tissue/standard-of-care.ts";
import {
  fromUnit,
  type MemberSpec,
  type UncertainParameter,
  uncertainParameters,
  withParameters,
} from "./member.ts";
import { createEvaluator, type Evaluator, evaluateMany } from "./pool.ts";
import { loadPosterior, type Posterior } from "./posterior.ts";
import { type Rng, rngFor, type Summary, summarize } from "./sampling.ts";

/**
 * Virtual cohorts: every member draws patient/animal factors (data/cohort.yaml), parameter
 * uncertainty (documented ranges) and a manufacturing lot (cargo and concentration variability), from
 * the random stream of (seed, member index) alone. Each member is simulated untreated and treated with
 * the same draws (common random numbers), so the difference is paired.
 *
 * Calibrated parameters come from the posterior when data/posterior.json exists (`exomi calibrate
 * --fit`): each member takes one posterior draw, chosen by its own stream (seed, i, 3), for every
 * calibrated parameter of its scenario — keeping the draw's joint values (the posterior's
 * correlations) — and samples the other uncertain parameters from their ranges as before. Without a
 * posterior (or with `posterior: null`) every parameter is uniform (log-uniform) on its range.
 */

const BySpecies = <T extends z.ZodType>(t: T) => z.object({ mouse: t, rat: t, human: t });
const Dist = z.discriminatedUnion("dist", [
  z.object({ dist: z.literal("uniform"), min: z.number(), max: z.number() }),
  z.object({
    dist: z.literal("normal"),
    mean: z.number(),
    sd: z.number().nonnegative(),
    min: z.number(),
    max: z.number(),
  }),
  z.object({ dist: z.literal("bernoulli"), p: z.number().min(0).max(1) }),
]);
const Effect = z.union([
  z.object({ set: z.string() }).strict(),
  z.object({ ischemia_h: z.literal(true) }).strict(),
  z.object({ scale: z.string(), per_unit: BySpecies(z.number()), reference: BySpecies(z.number()) }).strict(),
]);
const Factor = z.object({
  unit: z.string(),
  distribution: BySpecies(Dist),
  effects: z.array(Effect).min(1),
  evidence: z.unknown(),
});
const Cv = z.object({
  value: z.number().min(0).max(1),
  range: z.tuple([z.number(), z.number()]),
  evidence: z.unknown(),
});
const CohortFile = z.object({
  factors: z.record(z.string(), Factor),
  manufacturing: z.object({ cargo_cv: Cv, concentration_cv: Cv }),
});
export type CohortFile = z.infer<typeof CohortFile>;

const PATH = fileURLToPath(new URL("../../data/cohort.yaml", import.meta.url));
let cached: CohortFile | undefined;
export function loadCohortFile(): CohortFile {
  cached ??= CohortFile.parse(parse(readFileSync(PATH, "utf8")));
  return cached;
}

export const MAX_COHORT = 1_000_000;

export interface CohortOptions {
  scenario: Scenario;
  n: number;
  seed: number;
  /** readouts and the time (h) they are read at */
  readouts: string[];
  at: number;
  /** sources of variability switched on (all by default) */
  patientFactors?: boolean;
  parameterUncertainty?: boolean;
  manufacturing?: boolean;
  regimen?: Regimen;
  /** posterior of the calibrated parameters; default data/posterior.json when present, null = none */
  posterior?: Posterior | null;
  workers?: number;
  evaluator?: Evaluator;
  onProgress?: (done: number, total: number) => void;
}

export interface MemberDraw {
  factors: Record<string, number>;
  treated: MemberSpec;
  untreated: MemberSpec;
}

function draw(d: z.infer<typeof Dist>, rng: Rng): number {
  switch (d.dist) {
    case "uniform":
      return d.min + (d.max - d.min) * rng.next();
    case "normal":
      return Math.min(d.max, Math.max(d.min, d.mean + d.sd * rng.normal()));
    case "bernoulli":
      return rng.next() < d.p ? 1 : 0;
  }
}

/** Log-normal lot factor with mean 1 and the given coefficient of variation. */
function lotFactor(cv: number, rng: Rng): number {
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.sqrt(s2) * rng.normal() - s2 / 2);
}

const TRANSIENT = new Set(["ischemia-reperfusion", "dcd-transplant", "hypoxia-reoxygenation"]);

/**
 * Member i of a cohort: a pure function of (seed, i) and the options. Stream 0: parameter
 * uncertainty; stream 1: patient factors; stream 2: manufacturing lot.
 */
export function sampleMember(
  opts: Pick<
    CohortOptions,
    | "scenario"
    | "seed"
    | "patientFactors"
    | "parameterUncertainty"
    | "manufacturing"
    | "regimen"
    | "posterior"
  >,
  i: number,
  params: readonly UncertainParameter[] = uncertainParameters(opts.scenario),
): MemberDraw {
  const file = loadCohortFile();
  const sp = opts.scenario.species;
  const soc = applyStandardOfCare(opts.scenario, opts.regimen ?? {});
  let scenario = soc.scenario;
  let spec: MemberSpec = { scenario };
  if (opts.parameterUncertainty !== false) {
    const rng = rngFor(opts.seed, i, 0);
    // batch cargo variability has its own (CV-based) draw below, so it is fixed here
    const values = params.map((p) => (p.kind === "cargoScale" ? 1 : fromUnit(p, rng.next())));
    const post = opts.posterior === undefined ? loadPosterior() : opts.posterior;
    if (post) {
      // the prior draws above are still made, so the other parameters keep their values
      const draw = post.draws[Math.floor(rngFor(opts.seed, i, 3).next() * post.draws.length)];
      post.parameters.forEach((q, j) => {
        const k = params.findIndex((p) => p.id === q.id);
        if (k >= 0) values[k] = draw[j];
      });
    }
    spec = withParameters(spec, params, values);
  }
  const factors: Record<string, number> = {};
  const tissue: Record<string, number> = { ...(spec.tissue ?? {}) };
  const scales: Multipliers = { ...soc.multipliers };
  if (opts.patientFactors !== false) {
    const rng = rngFor(opts.seed, i, 1);
    for (const [name, f] of Object.entries(file.factors)) {
      const x = draw(f.distribution[sp], rng);
      factors[name] = x;
      for (const e of f.effects) {
        if ("set" in e) tissue[e.set] = x;
        else if ("ischemia_h" in e) {
          if (TRANSIENT.has(scenario.injury) && opts.regimen?.reperfusion_h === undefined)
            scenario = { ...scenario, ischemia_h: x };
        } else {
          const k = e.scale as keyof TissueParams;
          scales[k] = (scales[k] ?? 1) * Math.max(0.05, 1 + e.per_unit[sp] * (x - e.reference[sp]));
        }
      }
    }
  }
  let cargoScale = spec.cargoScale ?? 1;
  let doseScale = 1;
  if (opts.manufacturing !== false) {
    const rng = rngFor(opts.seed, i, 2);
    cargoScale *= lotFactor(file.manufacturing.cargo_cv.value, rng);
    doseScale = lotFactor(file.manufacturing.concentration_cv.value, rng);
    factors.lot_cargo = cargoScale;
    factors.lot_concentration = doseScale;
  }
  const base: Record<string, number> = { ...tissueParams(scenario.species), ...tissue };
  for (const [k, m] of Object.entries(scales)) base[k] = base[k] * (m as number);
  const treatedScenario = scenario.therapy ? scaleDoses(scenario, doseScale) : scenario;
  const treated: MemberSpec = {
    ...spec,
    scenario: treatedScenario,
    tissue: base as Partial<TissueParams>,
    cargoScale,
  };
  // the same animal/patient: every model parameter but the therapy's is shared by both arms
  const untreated: MemberSpec = {
    scenario: { ...scenario, therapy: null },
    tissue: base as Partial<TissueParams>,
    reactionW: spec.reactionW,
  };
  return { factors, treated, untreated };
}

function scaleDoses(scenario: Scenario, f: number): Scenario {
  const th = scenario.therapy!;
  const cap = (x: number) => Math.min(1e15, x * f);
  return {
    ...scenario,
    therapy: {
      ...th,
      dose_particles: cap(th.dose_particles),
      doses: th.doses?.map((d) => ({ ...d, dose_particles: cap(d.dose_particles) })),
    },
  };
}

export interface ReadoutSummary {
  readout: string;
  untreated: Summary;
  treated: Summary;
  /** paired treated − untreated */
  difference: Summary;
}

export interface CohortResult {
  n: number;
  seed: number;
  at: number;
  readouts: string[];
  summaries: ReadoutSummary[];
  /** member-major raw values: [member][arm 0 untreated, 1 treated][readout] */
  values: Float64Array;
}

export async function runCohort(opts: CohortOptions): Promise<CohortResult> {
  if (!Number.isInteger(opts.n) || opts.n < 1 || opts.n > MAX_COHORT)
    throw new InputError("--n", opts.n, [], `an integer from 1 to ${MAX_COHORT}`);
  if (!opts.scenario.therapy)
    throw new InputError(
      "scenario.therapy",
      null,
      [],
      "a cohort compares treated with untreated: the scenario needs a therapy",
    );
  if (!(opts.at >= 0 && opts.at <= opts.scenario.duration_h))
    throw new InputError("--at", opts.at, [], `a time in [0, ${opts.scenario.duration_h}] h`);
  const params = uncertainParameters(opts.scenario);
  const evaluator = opts.evaluator ?? createEvaluator(opts.workers);
  const R = opts.readouts.length;
  try {
    // 2 specs per member (untreated, treated), evaluated as consecutive "members" of the pool
    let lastDraw: { i: number; d: MemberDraw } | undefined;
    const raw = await evaluateMany(
      evaluator,
      2 * opts.n,
      (j) => {
        // the pair is built in order (untreated, then treated): one draw serves both
        const i = Math.floor(j / 2);
        if (lastDraw?.i !== i) lastDraw = { i, d: sampleMember(opts, i, params) };
        return j % 2 === 0 ? lastDraw.d.untreated : lastDraw.d.treated;
      },
      opts.readouts,
      [opts.at],
      { onProgress: opts.onProgress ? (d, t) => opts.onProgress!(Math.floor(d / 2), t / 2) : undefined },
    );
    const summaries = opts.readouts.map((readout, r) => {
      const u = new Float64Array(opts.n);
      const t = new Float64Array(opts.n);
      const d = new Float64Array(opts.n);
      for (let i = 0; i < opts.n; i++) {
        u[i] = raw[2 * i * R + r];
        t[i] = raw[(2 * i + 1) * R + r];
        d[i] = t[i] - u[i];
      }
      return { readout, untreated: summarize(u), treated: summarize(t), difference: summarize(d) };
    });
    return { n: opts.n, seed: opts.seed, at: opts.at, readouts: opts.readouts, summaries, values: raw };
  } finally {
    if (!opts.evaluator) await evaluator.close();
  }
}
