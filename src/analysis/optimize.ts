import { InputError } from "../core/errors.ts";
import { listLigands, listRoutes, ROUTE_IDS } from "../delivery/index.ts";
import { cargoSpecies, loadCargoFile } from "../engineering/cargo.ts";
import { costPerDose } from "../manufacturing/economics.ts";
import { loadIsolationData } from "../manufacturing/isolation.ts";
import type { EngineeringStep, Scenario, Therapy } from "../scenario/schema.ts";
import { defaultNetwork } from "../scenario/simulate.ts";
import type { Regimen } from "../tissue/standard-of-care.ts";
import { loadCohortFile, sampleMember } from "./cohort.ts";
import { type MemberSpec, uncertainParameters } from "./member.ts";
import { createEvaluator, type Evaluator, evaluateMany } from "./pool.ts";
import { rngFor, type Summary, summarize } from "./sampling.ts";

/**
 * Design optimizer (the review's "AI-guided design"): a real-coded genetic algorithm (tournament
 * selection, BLX-α crossover, Gaussian mutation, elitism) over an encoding of the therapy design
 * (engineering, route, dose, timing, repeat dosing) in [0,1]^D. Each candidate is scored on a small
 * virtual cohort with the same members for every candidate (common random numbers), by the mean or
 * a quantile of the readout, with constraints (cost of goods per dose, dose count) as hard limits.
 */

// ---------------------------------------------------------------- generic GA (maximizes)

export interface GaOptions {
  dim: number;
  popSize: number;
  generations: number;
  seed: number;
  /** tournament size */
  tournament?: number;
  /** BLX-α blend parameter */
  alpha?: number;
  /** per-gene mutation probability and Gaussian sd (in unit-cube units) */
  mutationRate?: number;
  mutationSd?: number;
  elite?: number;
}

export interface Scored {
  x: Float64Array;
  score: number;
}

/** Maximizes `fitness` (evaluated a generation at a time) over [0,1]^dim. Returns every point scored, best first. */
export async function geneticAlgorithm(
  fitness: (xs: Float64Array[]) => Promise<number[]>,
  o: GaOptions,
): Promise<Scored[]> {
  const tour = o.tournament ?? 2;
  const alpha = o.alpha ?? 0.3;
  const pm = o.mutationRate ?? 1 / o.dim;
  const sd = o.mutationSd ?? 0.1;
  const elite = o.elite ?? Math.max(1, Math.floor(o.popSize / 10));
  const clip = (v: number) => Math.min(1 - 1e-9, Math.max(0, v));
  const init = rngFor(o.seed, 0, 10);
  let pop: Float64Array[] = Array.from({ length: o.popSize }, () =>
    Float64Array.from({ length: o.dim }, () => init.next()),
  );
  const all: Scored[] = [];
  let scored: Scored[] = [];
  for (let g = 0; g < o.generations; g++) {
    const s = await fitness(pop);
    scored = pop.map((x, i) => ({ x, score: Number.isFinite(s[i]) ? s[i] : Number.NEGATIVE_INFINITY }));
    all.push(...scored);
    if (g === o.generations - 1) break;
    scored.sort((a, b) => b.score - a.score);
    const rng = rngFor(o.seed, g + 1, 11);
    const pick = () => {
      let best = scored[Math.floor(rng.next() * scored.length)];
      for (let k = 1; k < tour; k++) {
        const c = scored[Math.floor(rng.next() * scored.length)];
        if (c.score > best.score) best = c;
      }
      return best.x;
    };
    const next: Float64Array[] = scored.slice(0, elite).map((e) => e.x);
    while (next.length < o.popSize) {
      const a = pick();
      const b = pick();
      const child = new Float64Array(o.dim);
      for (let j = 0; j < o.dim; j++) {
        const lo = Math.min(a[j], b[j]);
        const hi = Math.max(a[j], b[j]);
        const span = hi - lo;
        let v = lo - alpha * span + (1 + 2 * alpha) * span * rng.next();
        if (rng.next() < pm) v += sd * rng.normal();
        child[j] = clip(v);
      }
      next.push(child);
    }
    pop = next;
  }
  return all.sort((a, b) => b.score - a.score);
}

// ---------------------------------------------------------------- design space

export const OVEREXPRESS = ["MIF", "AKT", "TIMP2"] as const;

export interface DesignSpace {
  routes: string[];
  overexpress: string[];
  load: string[];
  ligands: string[];
  doseRange: [number, number];
  firstDoseRange_h: [number, number];
  maxDoses: number;
  intervalRange_h: [number, number];
}

export function defaultDesignSpace(): DesignSpace {
  const ref = loadCargoFile().default_exposure.reference_dose_particles;
  return {
    // in-vitro is not a therapy; ex-vivo perfusion needs a transplant (dcd-transplant) scenario
    routes: ROUTE_IDS.filter((r) => r !== "in-vitro" && r !== "ex-vivo-perfusion"),
    overexpress: Object.keys(loadCargoFile().engineering.overexpress),
    load: cargoSpecies(defaultNetwork()),
    ligands: listLigands().map((l) => l.id),
    doseRange: [ref.range[0], ref.range[1]],
    firstDoseRange_h: [0, 72],
    maxDoses: 3,
    intervalRange_h: [24, 168],
  };
}

export const GENES = 9;
const choose = <T>(list: readonly T[], u: number): T =>
  list[Math.min(list.length - 1, Math.floor(u * list.length))];

/** Decodes a point of [0,1]^9 into a therapy. Genes: overexpress, load, hypoxia, ligand, route, log-dose, first dose time, dose count, interval. */
export function decodeDesign(
  u: ArrayLike<number>,
  space: DesignSpace,
  horizon_h = Number.POSITIVE_INFINITY,
): Therapy {
  const engineering: EngineeringStep[] = [];
  const ox = choose([null, ...space.overexpress], u[0]);
  if (ox) engineering.push({ kind: "overexpress", gene: ox });
  const load = choose([null, ...space.load], u[1]);
  if (load) engineering.push({ kind: "load", molecule: load });
  if (u[2] >= 0.5) engineering.push({ kind: "precondition", condition: "hypoxia" });
  const lig = choose([null, ...space.ligands], u[3]);
  if (lig) engineering.push({ kind: "surface", ligand: lig });
  const route = choose(space.routes, u[4]);
  const [dlo, dhi] = space.doseRange;
  const dose = Number((dlo * (dhi / dlo) ** u[5]).toPrecision(2));
  const t0 = Math.round(
    space.firstDoseRange_h[0] + (space.firstDoseRange_h[1] - space.firstDoseRange_h[0]) * u[6],
  );
  const count = 1 + Math.min(space.maxDoses - 1, Math.floor(u[7] * space.maxDoses));
  const interval = Math.round(
    space.intervalRange_h[0] + (space.intervalRange_h[1] - space.intervalRange_h[0]) * u[8],
  );
  // doses at or after the readout time cannot change it: the schedule stops before the horizon
  const start = Math.min(t0, Math.max(0, horizon_h - 1));
  const times = Array.from({ length: count }, (_, k) => start + k * interval).filter((t) => t < horizon_h);
  const therapy: Therapy = { source: "hucmsc", engineering, route, dose_particles: dose, time_h: start };
  if (times.length > 1) therapy.doses = times.map((time_h) => ({ time_h, dose_particles: dose, route }));
  return therapy;
}

export const designKey = (th: Therapy) => JSON.stringify(th);

// ---------------------------------------------------------------- evidence path per component

export interface EvidenceItem {
  component: string;
  references: string[];
}

function refsOf(ev: unknown): string[] {
  const list = Array.isArray(ev) ? ev : ev ? [ev] : [];
  return list.flatMap((e) => {
    const o = e as Record<string, unknown>;
    if (typeof o.ref === "string") return [o.ref];
    if (typeof o.source === "string") return [`research: ${o.source}`];
    if (typeof o.assumption === "string") return [`assumption: ${o.assumption}`];
    return [];
  });
}

export function evidenceFor(th: Therapy): EvidenceItem[] {
  const cargo = loadCargoFile();
  const model = defaultNetwork();
  const out: EvidenceItem[] = [];
  for (const e of th.engineering) {
    if (e.kind === "overexpress")
      out.push({
        component: `overexpress ${e.gene}`,
        references: refsOf(cargo.engineering.overexpress[e.gene]?.evidence),
      });
    else if (e.kind === "precondition")
      out.push({
        component: "hypoxic preconditioning",
        references: refsOf(cargo.engineering.precondition.hypoxia?.evidence),
      });
    else if (e.kind === "surface") {
      const l = listLigands().find((x) => x.id === e.ligand);
      out.push({ component: `surface ${e.ligand}`, references: l ? [...l.review_refs] : [] });
    } else if (e.kind === "load") {
      // the cargo's input rule and the edges it drives in the network (data/network.yaml)
      const refs = new Set<string>(refsOf(cargo.engineering.load.default_level.evidence));
      for (const r of model.reactions)
        if (r.product === e.molecule || r.reactants.some((x) => x.species === e.molecule))
          for (const ref of refsOf(r.evidence)) refs.add(ref);
      out.push({ component: `load ${e.molecule}`, references: [...refs] });
    }
  }
  const route = listRoutes().find((r) => r.id === (th.doses?.[0]?.route ?? th.route));
  out.push({ component: `route ${route?.id ?? th.route}`, references: route ? [...route.review_refs] : [] });
  out.push({
    component: "dose",
    references: refsOf(cargo.default_exposure.reference_dose_particles.evidence),
  });
  out.push({
    component: "timing and repeat dosing",
    references: [
      "assumption: feasible window 0-72 h for the first dose and 24-168 h between doses (review section 5.6: optimal window and regimen undefined, Willis et al., 2017)",
    ],
  });
  return out;
}

// ---------------------------------------------------------------- the optimization

export interface Constraints {
  /** cost of goods per dose, USD (manufacturing economics) */
  maxCostPerDose?: number;
  /** cost of goods of the whole regimen, USD */
  maxTotalCost?: number;
  /** isolation method priced (data/isolation.yaml) */
  method: string;
}

export interface OptimizeOptions {
  scenario: Scenario;
  objective: string;
  at: number;
  direction: "max" | "min";
  /** "mean" or a quantile in (0,1) of the cohort (robust design: e.g. 0.1 for a 10th percentile) */
  robust: "mean" | number;
  cohortSize: number;
  budget: number;
  popSize?: number;
  seed: number;
  space?: DesignSpace;
  constraints: Constraints;
  regimen?: Regimen;
  top?: number;
  workers?: number;
  evaluator?: Evaluator;
  onProgress?: (done: number, total: number) => void;
}

export interface RankedDesign {
  therapy: Therapy;
  score: number;
  outcome: Summary;
  costPerDoseUsd: number;
  totalCostUsd: number;
  doses: number;
  evidence: EvidenceItem[];
}

export interface OptimizeResult {
  objective: string;
  at: number;
  direction: "max" | "min";
  robust: "mean" | number;
  evaluated: number;
  infeasible: number;
  designs: RankedDesign[];
}

function cost(th: Therapy, method: string): { perDose: number; total: number; doses: number } {
  const data = loadIsolationData();
  const doses = th.doses ?? [{ dose_particles: th.dose_particles }];
  const per = doses.map((d) => costPerDose(data, { doseParticles: d.dose_particles, method }).costPerDoseUsd);
  return { perDose: Math.max(...per), total: per.reduce((a, b) => a + b, 0), doses: doses.length };
}

export async function optimizeDesign(o: OptimizeOptions): Promise<OptimizeResult> {
  if (!Number.isInteger(o.budget) || o.budget < 2 || o.budget > 100_000)
    throw new InputError("--budget", o.budget, [], "an integer number of candidate designs from 2 to 100000");
  if (!Number.isInteger(o.cohortSize) || o.cohortSize < 1 || o.cohortSize > 1000)
    throw new InputError("--cohort", o.cohortSize, [], "an integer from 1 to 1000");
  if (!(o.at > 0 && o.at <= o.scenario.duration_h))
    throw new InputError("--at", o.at, [], `a time in (0, ${o.scenario.duration_h}] h`);
  if (o.robust !== "mean" && !(o.robust > 0 && o.robust < 1))
    throw new InputError("--robust", o.robust, ["mean", "0.1", "0.5"], "mean or a quantile in (0, 1)");
  loadCohortFile();
  const space = o.space ?? defaultDesignSpace();
  const popSize = Math.max(2, Math.min(o.popSize ?? 12, o.budget));
  const generations = Math.max(1, Math.floor(o.budget / popSize));
  const sign = o.direction === "max" ? 1 : -1;
  const evaluator = o.evaluator ?? createEvaluator(o.workers);
  const seen = new Map<
    string,
    { score: number; values: Float64Array | null; cost: ReturnType<typeof cost> | null }
  >();
  let infeasible = 0;
  let done = 0;
  const total = generations * popSize;
  // the cohort's members: fixed draws (seed, i) reused for every candidate; only the therapy changes
  const baseScenario: Scenario = {
    ...o.scenario,
    therapy: o.scenario.therapy ?? decodeDesign(new Float64Array(GENES).fill(0), space, o.at),
  };
  const params = uncertainParameters(baseScenario);
  const members = Array.from({ length: o.cohortSize }, (_, i) =>
    sampleMember({ scenario: baseScenario, seed: o.seed, regimen: o.regimen }, i, params),
  );
  const aggregate = (v: Float64Array) =>
    o.robust === "mean" ? v.reduce((a, b) => a + b, 0) / v.length : quantileSigned(v, o.robust, sign);

  const fitness = async (xs: Float64Array[]): Promise<number[]> => {
    const designs = xs.map((x) => decodeDesign(x, space, Math.min(o.at, o.scenario.duration_h)));
    const todo: { key: string; therapy: Therapy }[] = [];
    for (const th of designs) {
      const key = designKey(th);
      if (seen.has(key) || todo.some((t) => t.key === key)) continue;
      let c: ReturnType<typeof cost> | null = null;
      try {
        c = cost(th, o.constraints.method);
      } catch {
        c = null;
      }
      const ok =
        c !== null &&
        (o.constraints.maxCostPerDose === undefined || c.perDose <= o.constraints.maxCostPerDose) &&
        (o.constraints.maxTotalCost === undefined || c.total <= o.constraints.maxTotalCost);
      if (!ok) {
        infeasible++;
        seen.set(key, { score: Number.NEGATIVE_INFINITY, values: null, cost: c });
      } else todo.push({ key, therapy: th });
    }
    if (todo.length > 0) {
      const specs: MemberSpec[] = [];
      for (const t of todo)
        for (const m of members)
          specs.push({
            ...m.treated,
            scenario: {
              ...m.treated.scenario,
              therapy: withLot(t.therapy, m.treated.scenario.therapy!, baseScenario.therapy!),
            },
          });
      let values: Float64Array;
      try {
        values = await evaluateMany(evaluator, specs.length, (i) => specs[i], [o.objective], [o.at], {
          chunkSize: o.cohortSize,
        });
      } catch (e) {
        if (todo.length === 1) {
          infeasible++;
          seen.set(todo[0].key, { score: Number.NEGATIVE_INFINITY, values: null, cost: null });
          values = new Float64Array(0);
        } else throw e;
      }
      todo.forEach((t, k) => {
        if (values.length === 0) return;
        const v = values.slice(k * o.cohortSize, (k + 1) * o.cohortSize);
        seen.set(t.key, {
          score: sign * aggregate(v),
          values: v,
          cost: cost(t.therapy, o.constraints.method),
        });
      });
    }
    done += xs.length;
    o.onProgress?.(Math.min(done, total), total);
    return designs.map((th) => seen.get(designKey(th))!.score);
  };

  try {
    await geneticAlgorithm(fitness, { dim: GENES, popSize, generations, seed: o.seed });
  } finally {
    if (!o.evaluator) await evaluator.close();
  }
  const ranked = [...seen.entries()]
    .filter(([, s]) => Number.isFinite(s.score) && s.values)
    .sort((a, b) => b[1].score - a[1].score)
    .slice(0, o.top ?? 5)
    .map(([key, s]) => {
      const therapy = JSON.parse(key) as Therapy;
      return {
        therapy,
        score: sign * s.score,
        outcome: summarize(s.values!),
        costPerDoseUsd: s.cost!.perDose,
        totalCostUsd: s.cost!.total,
        doses: s.cost!.doses,
        evidence: evidenceFor(therapy),
      };
    });
  return {
    objective: o.objective,
    at: o.at,
    direction: o.direction,
    robust: o.robust,
    evaluated: seen.size,
    infeasible,
    designs: ranked,
  };
}

/** The robust quantile on the "bad" side: a low quantile when maximizing, a high one when minimizing. */
function quantileSigned(v: Float64Array, q: number, sign: number): number {
  const s = Float64Array.from(v).sort();
  const p = sign > 0 ? q : 1 - q;
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** A member's manufacturing lot scaled the base therapy's doses; apply the same concentration factor to the candidate's. */
function withLot(candidate: Therapy, memberTherapy: Therapy, base: Therapy): Therapy {
  const f = memberTherapy.dose_particles / base.dose_particles;
  const cap = (x: number) => Math.min(1e15, x * f);
  return {
    ...candidate,
    dose_particles: cap(candidate.dose_particles),
    doses: candidate.doses?.map((d) => ({ ...d, dose_particles: cap(d.dose_particles) })),
  };
}
