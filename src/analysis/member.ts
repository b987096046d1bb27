import "../scenario/all-readouts.ts";
import { loadDeliveryData, parameterTable } from "../delivery/index.ts";
import { loadCargoFile } from "../engineering/cargo.ts";
import { parseScenario } from "../scenario/parse.ts";
import { readoutValue } from "../scenario/readouts.ts";
import type { Scenario } from "../scenario/schema.ts";
import {
  defaultNetwork,
  type SimulateOptions,
  type SimulationResult,
  simulate,
  therapyDoses,
} from "../scenario/simulate.ts";
import { loadTissueParams, TISSUE_READOUTS, type TissueParams } from "../tissue/model.ts";

/**
 * One member of a virtual cohort (or one point of a sensitivity design, or one candidate × member of
 * the optimizer): a Scenario plus the model-parameter values that differ from the defaults. Plain
 * data, so it travels to worker threads; `evaluateMember` turns it into readout values.
 */
export interface MemberSpec {
  scenario: Scenario;
  cargoScale?: number;
  cargoK?: number;
  deliveryParameters?: Record<string, number>;
  /** network reaction weights (by reaction id) that differ from data/network.yaml */
  reactionW?: Record<string, number>;
  /** tissue-model parameter values (absolute) for this member */
  tissue?: Partial<TissueParams>;
  /** network solver; POPULATION_SOLVER when absent */
  solver?: SimulateOptions["solver"];
}

/**
 * The network solver of population analyses (cohorts, GSA, the optimizer): Rodas4 at rtol 3e-3, atol
 * 3e-5 (species are normalized to [0, 1]), about a third of the steps of the single-scenario solver
 * (≈ 34 per 28-day rat arm; atol 1e-5 took 37 for the same readout error, 3.97e-4 vs 4.02e-4 LVEF
 * points on rat IV members, 1.75e-3 vs 2.54e-3 on mouse I/R intramyocardial ones). Rodas3 and
 * ROS4 (3 function evaluations per step against 6) needed ~50 % more steps here for a larger error, so
 * they cost as much or more. The error in the readouts people compare across a population is measured,
 * not assumed (test/analysis/population-solver.test.ts, rat permanent ligation and mouse I/R with an
 * early intramyocardial dose, against a tight reference): LVEF, infarct size and collagen within 0.01
 * points, capillary density within 0.5 % (measured ≤ 0.14 %: sprouting growth compounds small driver
 * errors over 28 days), far below the spread between members.
 */
export const POPULATION_SOLVER = { method: "rosenbrock", rtol: 3e-3, atol: 3e-5 } as const;

/** An uncertain model parameter with its documented range. */
export interface UncertainParameter {
  id: string;
  kind: "tissue" | "delivery" | "cargoK" | "cargoScale" | "network";
  /** key inside its kind (tissue parameter name, delivery key) */
  key: string;
  nominal: number;
  lo: number;
  hi: number;
  log: boolean;
  source: string;
}

const describe = (e: unknown): string => {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    if (typeof o.ref === "string") return o.ref;
    if (typeof o.source === "string") return o.source;
    if (typeof o.assumption === "string") return `assumption: ${o.assumption}`;
  }
  return "data file";
};

/** Log-uniform when a positive range spans more than a decade. */
const isLog = (lo: number, hi: number) => lo > 0 && hi / lo > 10;

/**
 * Every uncertain parameter that matters for this scenario: tissue rates and the species' baselines
 * (data/tissue.yaml), and for a therapy the cargo dose-response K, batch cargo variability and the
 * delivery parameters of its routes, ligands, injury and species (src/delivery parameterTable).
 */
export function uncertainParameters(scenario: Scenario): UncertainParameter[] {
  const out: UncertainParameter[] = [];
  const tf = loadTissueParams();
  const sp = tf.species[scenario.species];
  for (const [k, v] of [...Object.entries(tf.rates), ...Object.entries(sp ?? {})]) {
    if (v.range[0] === v.range[1]) continue;
    out.push({
      id: k,
      kind: "tissue",
      key: k,
      nominal: v.value,
      lo: v.range[0],
      hi: v.range[1],
      log: isLog(v.range[0], v.range[1]),
      source: describe(v.evidence),
    });
  }
  // network edges whose weight is an assumption with a documented range (data/network.yaml)
  for (const r of defaultNetwork().reactions) {
    if (r.reactants.length === 0) continue;
    for (const e of r.evidence ?? []) {
      if (!("assumption" in e) || !e.range) continue;
      const [lo, hi] = e.range;
      if (!(lo < hi) || lo < 0 || hi > 1 || r.W < lo || r.W > hi) continue;
      out.push({
        id: `network:${r.rule}`,
        kind: "network",
        key: r.id,
        nominal: r.W,
        lo,
        hi,
        log: false,
        source: `assumption: ${e.assumption}`,
      });
      break;
    }
  }
  const th = scenario.therapy;
  if (!th) return out;
  const K = loadCargoFile().dose_response.K;
  out.push({
    id: "cargo_K",
    kind: "cargoK",
    key: "K",
    nominal: K.value,
    lo: K.range[0],
    hi: K.range[1],
    log: isLog(K.range[0], K.range[1]),
    source: describe(K.evidence),
  });
  out.push({
    id: "cargo_scale",
    kind: "cargoScale",
    key: "cargoScale",
    nominal: 1,
    lo: 0.7,
    hi: 1.3,
    log: false,
    source: "Gardiner et al., 2016 (batch-to-batch 20-30% in cargo, review section 5.6)",
  });
  const routes = new Set(therapyDoses(th).map((d) => d.route));
  const ligands = th.engineering.flatMap((e) => (e.kind === "surface" ? [e.ligand] : []));
  const prefixes = [
    "routes.systemic.",
    `routes.injuries.${scenario.injury}.`,
    `species.species.${scenario.species}.`,
    ...[...routes].map((r) => `routes.routes.${r}.`),
    ...ligands.map((l) => `routes.ligands.${l}.`),
  ];
  for (const p of parameterTable(loadDeliveryData())) {
    if (p.min === p.max || !prefixes.some((x) => p.key.startsWith(x))) continue;
    out.push({
      id: p.key,
      kind: "delivery",
      key: p.key,
      nominal: p.value,
      lo: p.min,
      hi: p.max,
      log: isLog(p.min, p.max),
      source: `${p.basis}: ${p.source}`,
    });
  }
  return out;
}

/** Maps u in [0,1] to the parameter's range (uniform or log-uniform). */
export function fromUnit(p: UncertainParameter, u: number): number {
  return p.log ? p.lo * (p.hi / p.lo) ** u : p.lo + (p.hi - p.lo) * u;
}

/** Puts parameter values into a member spec (tissue values merge with ones already there). */
export function withParameters(
  spec: MemberSpec,
  params: readonly UncertainParameter[],
  values: ArrayLike<number>,
): MemberSpec {
  const tissue: Record<string, number> = { ...(spec.tissue ?? {}) };
  const delivery: Record<string, number> = { ...(spec.deliveryParameters ?? {}) };
  const weights: Record<string, number> = { ...(spec.reactionW ?? {}) };
  const out: MemberSpec = { ...spec };
  params.forEach((p, i) => {
    const v = values[i];
    if (p.kind === "tissue") tissue[p.key] = v;
    else if (p.kind === "delivery") delivery[p.key] = v;
    else if (p.kind === "network") weights[p.key] = v;
    else if (p.kind === "cargoK") out.cargoK = v;
    else out.cargoScale = (out.cargoScale ?? 1) * v;
  });
  out.tissue = tissue as Partial<TissueParams>;
  if (Object.keys(delivery).length > 0) out.deliveryParameters = delivery;
  if (Object.keys(weights).length > 0) out.reactionW = weights;
  return out;
}

// Remember the last few results: the optimizer and Morris designs revisit the same member. Network
// and tissue are one ODE (the tissue feeds back on the network), so tissue parameters are part of
// the key. Least recently used goes first (a hit moves to the end).
const networkCache = new Map<string, SimulationResult>();
const CACHE_SIZE = 16;

function networkResult(spec: MemberSpec, times: number[], keep?: readonly string[]): SimulationResult {
  const treated = spec.scenario.therapy !== null;
  const key = JSON.stringify([
    spec.scenario,
    treated ? (spec.cargoScale ?? 1) : 1,
    treated ? (spec.cargoK ?? null) : null,
    treated ? (spec.deliveryParameters ?? null) : null,
    spec.reactionW ?? null,
    spec.tissue ?? null,
    spec.solver ?? null,
    times,
    keep ?? null,
  ]);
  const hit = networkCache.get(key);
  if (hit) {
    networkCache.delete(key);
    networkCache.set(key, hit);
    return hit;
  }
  const r = simulate(spec.scenario, {
    include: times,
    cargoScale: spec.cargoScale,
    cargoK: spec.cargoK,
    deliveryParameters: treated ? spec.deliveryParameters : undefined,
    reactionW: spec.reactionW,
    tissue: spec.tissue,
    solver: spec.solver ?? POPULATION_SOLVER,
    keep,
  });
  networkCache.set(key, r);
  if (networkCache.size > CACHE_SIZE) networkCache.delete(networkCache.keys().next().value!);
  return r;
}

const tissueIds = new Set<string>(TISSUE_READOUTS);

/** Readout values of one member, readout-major: out[r * times.length + k]. */
export function evaluateMember(
  spec: MemberSpec,
  readouts: readonly string[],
  times: readonly number[],
): number[] {
  const scenario = parseScenario(spec.scenario);
  // readouts from the tissue model alone need only its drivers from the network
  const keep = readouts.every((id) => tissueIds.has(id)) ? [] : undefined;
  const r = networkResult({ ...spec, scenario }, [...times], keep);
  const out: number[] = [];
  for (const id of readouts) for (const t of times) out.push(readoutValue(r, id, t));
  return out;
}
