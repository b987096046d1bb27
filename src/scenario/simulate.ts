import { InputError } from "../core/errors.ts";
import {
  type DeliveryInput,
  type DeliveryResult,
  LIGAND_IDS,
  type LigandId,
  type RouteId,
  simulateDelivery,
} from "../delivery/index.ts";
import {
  cargoLevel,
  cargoSpecies,
  designFromTherapy,
  loadCargoFile,
  type TherapyDesign,
} from "../engineering/cargo.ts";
import { type CompiledNetwork, compileNetwork } from "../network/compile.ts";
import type { NetworkModel } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import { loadNetworkYaml } from "../network/yaml-format.ts";
import { solve } from "../solver/solve.ts";
import type { SolverMethod, SolverStats } from "../solver/types.ts";
import { coupledSystem } from "../tissue/coupled.ts";
import {
  TISSUE_DRIVERS,
  TISSUE_SIZE,
  type TissueCourse,
  type TissueParams,
  tissueCourseFromRows,
  tissueParams,
} from "../tissue/model.ts";
import { injuryProfile } from "./injury.ts";
import { interpolate } from "./interpolate.ts";
import { parseScenario } from "./parse.ts";
import { uninjuredState } from "./rest-state.ts";
import type { Scenario, ScenarioInput } from "./schema.ts";

/**
 * One Scenario in, one time course out. The chain: therapy → cargo profile (engineering) →
 * delivered amount over time (delivery) → cargo input levels → signalling network, with the injury
 * model driving the ischemia and reperfusion inputs, coupled both ways to the post-MI tissue model
 * (src/tissue: the network's cell-level effects drive the tissue; the tissue's capillary deficit
 * adds chronic ischemia in vivo). Network and tissue are one ODE solved at one tolerance, so the
 * result does not depend on the output times asked for. The network starts from its uninjured
 * steady state (with the scenario's perturbations applied), so t = 0 is injury onset.
 */

export interface SimulationResult {
  scenario: Scenario;
  times: Float64Array;
  speciesIds: readonly string[];
  /** row-major, times × species */
  y: Float64Array;
  stats: SolverStats;
  /** the tissue model's readouts at the output times (infarct size, LVEF, …) */
  tissue: TissueCourse;
  /** the delivery (pharmacokinetic) result behind the cargo inputs, when there is a therapy */
  delivery: DeliveryResult | null;
  /** time course of one species (by id, name or alias) */
  series(name: string): Float64Array;
  /** value of a species at time t (linear interpolation between output times) */
  at(name: string, t: number): number;
}

/** The delivered amount x(t) (relative to the reference dose) that drives cargo inputs. */
export type ExposureFn = (t: number) => number;

let defaultModel: NetworkModel | undefined;
let defaultCompiled: CompiledNetwork | undefined;

export function defaultNetwork(): NetworkModel {
  defaultModel ??= loadNetworkYaml();
  return defaultModel;
}

/** A compiled copy of the default network, reused across simulations (parameters are reset each run). */
export function defaultCompiledNetwork(): CompiledNetwork {
  defaultCompiled ??= compileNetwork(defaultNetwork());
  return defaultCompiled;
}

/**
 * The scenario solver: Rodas4 with the network's analytic sparse Jacobian. The network is mildly stiff
 * (τ from 1 h to weeks), so an explicit method is held to ~2 h steps for all 28 days (≈2100 RHS
 * evaluations); the L-stable method takes ~90–110 steps. At rtol 1e-4 its error against a tight
 * reference (max relative, test/scenario/solver-accuracy.test.ts) is that of the former default,
 * Dormand–Prince at rtol 1e-5, at about half the cost.
 */
export const SCENARIO_SOLVER = { method: "rosenbrock", rtol: 1e-4, atol: 1e-7 } as const;

export interface SimulateOptions {
  /** solver overrides (method, rtol, atol) for accuracy studies and benchmarks */
  solver?: { method?: SolverMethod; rtol?: number; atol?: number };
  /** output times (h); default: hourly to 48 h, then every 6 h to duration_h */
  times?: number[];
  /** extra times that must be in the output grid (readout times) */
  include?: number[];
  /** a compiled network to use instead of the default (e.g. with a deleted edge) */
  compiled?: CompiledNetwork;
  /** replaces the default exposure model (the delivery module plugs in here) */
  exposure?: (scenario: Scenario, design: TherapyDesign) => Exposure;
  /** per-species ymax overrides for this run (knockdown screens), by species id */
  ymax?: Record<string, number>;
  /** per-reaction weight overrides for this run (parameter uncertainty), by reaction id */
  reactionW?: Record<string, number>;
  /** delivery-model parameter overrides (keys of `parameterTable`, src/delivery) for cohorts and GSA */
  deliveryParameters?: Record<string, number>;
  /**
   * species to keep in the result (ids, names or aliases); default all. Populations that read only the
   * tissue model's drivers keep those 12 of 119 species: less output work and memory per member.
   */
  keep?: readonly string[];
  /** multiplies every cargo abundance (batch-to-batch cargo variability, review section 5.6) */
  cargoScale?: number;
  /** overrides the half-saturation K of the cargo dose-response (data/cargo.yaml) */
  cargoK?: number;
  /** tissue-model parameter overrides (cohorts, GSA, calibration) */
  tissue?: Partial<TissueParams>;
}

export function defaultTimes(duration: number, include: number[] = []): number[] {
  const set = new Set<number>();
  for (let t = 0; t <= Math.min(48, duration); t += 1) set.add(t);
  for (let t = 54; t <= duration; t += 6) set.add(t);
  set.add(duration);
  for (const t of include) if (t >= 0 && t <= duration) set.add(t);
  return [...set].sort((a, b) => a - b);
}

export interface Exposure {
  x: ExposureFn;
  breakpoints: number[];
  delivery: DeliveryResult | null;
}

/** The therapy's doses as a list (a single dose, or the repeat-dosing schedule). */
export function therapyDoses(th: NonNullable<Scenario["therapy"]>) {
  return th.doses ?? [{ time_h: th.time_h, dose_particles: th.dose_particles, route: th.route }];
}

/**
 * Pharmacokinetics depend only on species, injury, doses, ligands, span and delivery parameters, not
 * on cargo: designs that differ only in engineering reuse one delivery solution (the web designer,
 * validation cases). A small LRU cache of immutable results.
 */
const deliveryCache = new Map<string, DeliveryResult>();
const DELIVERY_CACHE_SIZE = 32;
function cachedDelivery(input: DeliveryInput, parameters?: Record<string, number>): DeliveryResult {
  const key = JSON.stringify([input, parameters ?? null]);
  const hit = deliveryCache.get(key);
  if (hit) {
    deliveryCache.delete(key);
    deliveryCache.set(key, hit);
    return hit;
  }
  const result = simulateDelivery(input, parameters ? { parameters } : {});
  deliveryCache.set(key, result);
  if (deliveryCache.size > DELIVERY_CACHE_SIZE) deliveryCache.delete(deliveryCache.keys().next().value!);
  return result;
}

/**
 * Exposure from the delivery model: particles taken up per infarct/border-zone cell over time
 * (src/delivery), relative to the reference uptake of data/cargo.yaml (`uptake_reference`).
 */
export function deliveryExposure(
  scenario: Scenario,
  design: TherapyDesign,
  parameters?: Record<string, number>,
): Exposure {
  const th = scenario.therapy!;
  const ligands = design.ligands.map((l, i) => {
    const hit = LIGAND_IDS.find((x) => x.toLowerCase() === l.toLowerCase());
    if (!hit) throw new InputError(`therapy.engineering[${i}].ligand`, l, [...LIGAND_IDS]);
    return hit as LigandId;
  });
  const doses = therapyDoses(th).map((d) => ({ ...d, route: d.route as RouteId }));
  const input = {
    species: scenario.species,
    injury: scenario.injury,
    doses,
    ligands,
    duration_h: scenario.duration_h,
  };
  const delivery = cachedDelivery(input, parameters);
  const ref = loadCargoFile().uptake_reference.particles_per_cell.value;
  const f = delivery.intracellularCargo;
  return { x: (t) => f(t) / ref, breakpoints: doses.map((d) => d.time_h), delivery };
}

/** Exposure without pharmacokinetics: each dose adds dose/reference, decaying with the cargo persistence time. */
export function defaultExposure(scenario: Scenario): Exposure {
  const th = scenario.therapy;
  if (!th) return { x: () => 0, breakpoints: [], delivery: null };
  const cfg = loadCargoFile().default_exposure;
  const ref = cfg.reference_dose_particles.value;
  const tau = cfg.persistence_h.value;
  const doses = th.doses ?? [{ time_h: th.time_h, dose_particles: th.dose_particles, route: th.route }];
  const times = Float64Array.from(doses.map((d) => d.time_h));
  const amounts = Float64Array.from(doses.map((d) => d.dose_particles / ref));
  return {
    x: (t) => {
      let s = 0;
      for (let i = 0; i < times.length; i++)
        if (t >= times[i]) s += amounts[i] * Math.exp(-(t - times[i]) / tau);
      return s;
    },
    breakpoints: [...times],
    delivery: null,
  };
}

export function simulate(input: ScenarioInput | Scenario, opts: SimulateOptions = {}): SimulationResult {
  const scenario = parseScenario(input);
  const net = opts.compiled ?? defaultCompiledNetwork();
  const model = net.model;
  net.resetParameters();
  for (const [id, v] of Object.entries(opts.ymax ?? {})) {
    const i = net.index.get(id);
    if (i === undefined) throw new InputError("ymax", id, [...net.speciesIds]);
    net.ymax[i] = v;
  }
  for (const [id, v] of Object.entries(opts.reactionW ?? {})) {
    const j = net.reactionIndex.get(id);
    if (j === undefined) throw new InputError("reactionW", id, [...net.reactionIds]);
    if (!(v >= 0 && v <= 1)) throw new InputError(`reactionW.${id}`, v, [], "a weight in [0, 1]");
    net.W[j] = v;
  }

  // perturbations: clamp named species for the whole run
  for (const [name, v] of Object.entries(scenario.perturb)) {
    const s = resolveSpecies(model, name);
    if (!s)
      throw new InputError(
        `perturb.${name}`,
        name,
        model.species.map((x) => x.id),
        "unknown network node",
      );
    net.clamp[net.index.get(s.id)!] = v;
  }

  const inputReaction = (species: string): number => {
    const r = model.reactions.find((x) => x.product === species && x.reactants.length === 0);
    return r ? net.reactionIndex.get(r.id)! : -1;
  };
  const rIsch = inputReaction("ischemia");
  const rRep = inputReaction("reperfusion");
  const rAging = inputReaction("MSC_aging");
  const rWall = inputReaction("wall_stress");

  const design = scenario.therapy ? designFromTherapy(model, scenario.therapy) : null;
  const cargoIds = cargoSpecies(model).filter((id) => inputReaction(id) >= 0);
  const cargoR = Int32Array.from(cargoIds.map(inputReaction));
  const scale = opts.cargoScale ?? 1;
  const cargoA = Float64Array.from(cargoIds.map((id) => Math.min(1, scale * (design?.profile.get(id) ?? 0))));
  const K = opts.cargoK ?? design?.K ?? 1;
  const exposure: Exposure = design
    ? opts.exposure
      ? opts.exposure(scenario, design)
      : deliveryExposure(scenario, design, opts.deliveryParameters)
    : { x: () => 0, breakpoints: [], delivery: null };
  const injury = injuryProfile(scenario);

  // 1. uninjured, untreated steady state (aging context is part of the recipient, so it stays on)
  const agingW = rAging >= 0 ? net.W[rAging] : 0;
  net.forcing = (_t, W) => {
    if (rIsch >= 0) W[rIsch] = 0;
    if (rRep >= 0) W[rRep] = 0;
    if (rWall >= 0) W[rWall] = 0;
    for (let i = 0; i < cargoR.length; i++) W[cargoR[i]] = 0;
  };
  const start = uninjuredState(net, scenario.perturb);
  if (rAging >= 0) net.W[rAging] = agingW;

  // 2. injury (+ therapy) from t = 0, network and tissue together; in vivo the tissue adds chronic
  // ischemia where capillaries were lost, ischemia input = 1 − (1 − acute)(1 − g·deficit), and the
  // dilated LV's wall stress, wall_stress input = min(1, gs·stretch)
  const tp = tissueParams(scenario.species, opts.tissue);
  const feedback = injury.perfusionFeedback;
  const gain = feedback ? tp.perfusion_ischemia : 0;
  const gainStretch = feedback ? tp.wall_stress_gain : 0;
  let deficit = 0;
  let stretch = 0;
  const xOf = exposure.x;
  net.forcing = (t, W) => {
    if (rIsch >= 0) W[rIsch] = 1 - (1 - injury.ischemia(t)) * (1 - gain * deficit);
    if (rWall >= 0) W[rWall] = Math.min(1, gainStretch * stretch);
    if (rRep >= 0) W[rRep] = injury.reperfusion(t);
    const x = xOf(t);
    for (let i = 0; i < cargoR.length; i++) W[cargoR[i]] = cargoLevel(cargoA[i], x, K);
  };
  const times = opts.times ?? defaultTimes(scenario.duration_h, opts.include);
  const breakpoints = [...injury.breakpoints, ...exposure.breakpoints].filter(
    (t) => t > 0 && t < scenario.duration_h,
  );
  net.applyClamps(start);
  const sys = coupledSystem(
    net,
    tp,
    start,
    feedback
      ? {
          onTissueFeedback: (d, s) => {
            deficit = d;
            stretch = s;
          },
        }
      : {},
  );
  const n = net.size;
  const kept = opts.keep ? keptColumns(net, opts.keep) : null;
  // solver output: the kept species, the tissue's drivers (its readouts need them) and its states
  const driverCols = sys.driverIndex;
  const outCols = new Set<number>(kept ?? Array.from({ length: n }, (_, i) => i));
  for (const i of driverCols) outCols.add(i);
  for (let k = 0; k < TISSUE_SIZE; k++) outCols.add(n + k);
  const columns = Int32Array.from([...outCols].sort((a, b) => a - b));
  const res = solve(sys, sys.y0, {
    times,
    t0: 0,
    breakpoints,
    ...SCENARIO_SOLVER,
    ...opts.solver,
    columns,
  });
  net.forcing = null;

  const ids = kept ? Array.from(kept, (i) => net.speciesIds[i]) : net.speciesIds;
  const width = ids.length;
  const nt = res.t.length;
  const W = columns.length;
  const colOf = new Map<number, number>(Array.from(columns, (i, c) => [i, c]));
  // split the solver's rows into the network part, the drivers and the tissue states
  const y = new Float64Array(nt * width);
  const drivers = new Float64Array(nt * TISSUE_DRIVERS.length);
  const states = new Float64Array(nt * TISSUE_SIZE);
  const keptSrc = Int32Array.from(kept ?? Array.from({ length: n }, (_, i) => i), (i) => colOf.get(i)!);
  const drvSrc = Int32Array.from(driverCols, (i) => colOf.get(i)!);
  for (let k = 0; k < nt; k++) {
    const row = k * W;
    for (let c = 0; c < width; c++) y[k * width + c] = res.y[row + keptSrc[c]];
    for (let d = 0; d < drvSrc.length; d++) {
      // a clamped driver is read at its clamp value (the state keeps its start value)
      const cl = net.clamp[driverCols[d]];
      drivers[k * drvSrc.length + d] = Number.isNaN(cl) ? res.y[row + drvSrc[d]] : cl;
    }
    for (let s2 = 0; s2 < TISSUE_SIZE; s2++) states[k * TISSUE_SIZE + s2] = res.y[row + colOf.get(n + s2)!];
  }
  const tissue = tissueCourseFromRows(res.t, sys.constants, drivers, states);

  // position of a network species in a row of y
  const column = new Map<number, number>(kept ? Array.from(kept, (i, c) => [i, c]) : []);
  const indexOf = (name: string): number => {
    const s = resolveSpecies(model, name);
    if (!s) throw new InputError("readout", name, net.speciesIds as string[], "unknown network node");
    const i = net.index.get(s.id)!;
    if (!kept) return i;
    const c = column.get(i);
    if (c === undefined)
      throw new InputError("readout", name, ids, "a species kept in this result (simulate's keep option)");
    return c;
  };
  return {
    scenario,
    times: res.t,
    speciesIds: ids,
    y,
    stats: res.stats,
    tissue,
    delivery: exposure.delivery,
    series(name) {
      const j = indexOf(name);
      const out = new Float64Array(nt);
      for (let k = 0; k < nt; k++) out[k] = y[k * width + j];
      return out;
    },
    at(name, t) {
      return interpolate(res.t, this.series(name), t);
    },
  };
}

/** Network indices of the species to keep (ids, names or aliases), ascending. */
function keptColumns(net: CompiledNetwork, names: readonly string[]): Int32Array {
  const set = new Set<number>();
  for (const name of names) {
    const s = resolveSpecies(net.model, name);
    if (!s) throw new InputError("keep", name, net.speciesIds as string[], "unknown network node");
    set.add(net.index.get(s.id)!);
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}
