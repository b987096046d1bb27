import type {
  DeliveryData,
  DoseInput,
  InjuryId,
  LigandDef,
  LigandId,
  Param,
  RouteDef,
  RouteId,
  SpeciesId,
} from "./schema.ts";

/**
 * Compartments of the delivery model, in state-vector order. Depots (one per route used) follow them.
 * `infarct` is the infarct + border-zone interstitium; `infarct_cells` the particles taken up into its
 * cells (in vitro: the cultured cells); `eliminated` is the sink, so the state always sums to the dose.
 */
export const COMPARTMENTS = [
  "blood",
  "liver_spleen",
  "lungs",
  "infarct",
  "infarct_cells",
  "remote",
  "remote_cells",
  "rest_of_body",
  "eliminated",
] as const;
export type CompartmentId = (typeof COMPARTMENTS)[number];

const IDX = Object.fromEntries(COMPARTMENTS.map((c, i) => [c, i])) as Record<CompartmentId, number>;
const LN2 = Math.LN2;

/** A state jump at a given time: a dose, or the removal of a depot (end of perfusion). */
export interface ModelEvent {
  time_h: number;
  apply(x: Float64Array): void;
}

/**
 * The delivery model compiled for one input: first-order transfers between compartments
 * (dx_from -= k·x_from, dx_to += k·x_from), so mass is conserved by construction; two transfers
 * (blood → infarct, blood → remote) vary in time after the injury. Linear in the state, hence in dose.
 */
export interface CompiledModel {
  /** state names: COMPARTMENTS then `depot:<route>` */
  names: string[];
  from: Int32Array;
  to: Int32Array;
  /** per-transfer rate constants (1/h); the `varying` entries and the circuit washouts are set by setTime */
  rate: Float64Array;
  /** sets `rate` to its values at t (right-continuous at switchTimes) */
  setTime(t: number): void;
  /** transfers whose rates setTime changes smoothly with t (blood → infarct / remote, permeability window) */
  varying: Int32Array;
  /**
   * the varying rates depend on t only through w = exp(−windowRate · t) (1/h): smooth, nearly
   * polynomial functions of w, which the integrator interpolates in w rather than in t
   */
  windowRate: number;
  /** times where setTime switches rates on or off (perfusion circuits start and end): not smooth there */
  switchTimes: number[];
  /** index of the blood → liver/spleen transfer, for the cumulative liver/spleen uptake readout */
  liverSpleenTransfer: number;
  /** states counted as "in the heart" for cardiac retention */
  heartStates: number[];
  /** cells that share the intracellular particles (per-cell cargo normalization) */
  cellCount: number;
  events: ModelEvent[];
  /** an upper bound on any state's total outflow rate (1/h), for the step size */
  maxRate: number;
  bloodVolumeMl: number;
  extrapolated: boolean;
  mode: RouteDef["mode"];
}

const halfLifeRate = (halfLife: number): number => LN2 / halfLife;

export interface CompileOptions {
  species: SpeciesId;
  doses: DoseInput[];
  ligands: LigandId[];
  injury: InjuryId;
}

export function compileModel(data: DeliveryData, opts: CompileOptions): CompiledModel {
  const sys = data.routes.systemic;
  const sp = data.species.species[opts.species];
  const ref = data.species.species[data.species.reference_species];
  const injury = data.routes.injuries[opts.injury];
  const routeDefs = new Map(data.routes.routes.map((r) => [r.id, r]));
  const ligands: LigandDef[] = data.routes.ligands.filter((l) => opts.ligands.includes(l.id));

  // Systemic rates are mouse values; scale them to the species by body weight (allometry).
  const scale =
    (sp.body_weight_kg.value / ref.body_weight_kg.value) ** data.species.allometric_rate_exponent.value;
  const rateOf = (halfLife: Param, unitsPerHour = 1): number =>
    halfLifeRate(halfLife.value / unitsPerHour) * (halfLife.allometric ? scale : 1);

  const routesUsed = [...new Set(opts.doses.map((d) => d.route))];
  const depotRoutes = routesUsed.filter((r) => routeDefs.get(r)?.depot);
  const names: string[] = [...COMPARTMENTS, ...depotRoutes.map((r) => `depot:${r}`)];
  const depotIndex = new Map<RouteId, number>(depotRoutes.map((r, i) => [r, COMPARTMENTS.length + i]));

  const from: number[] = [];
  const to: number[] = [];
  const rate: number[] = [];
  const add = (a: CompartmentId | number, b: CompartmentId | number, k: number): number => {
    from.push(typeof a === "number" ? a : IDX[a]);
    to.push(typeof b === "number" ? b : IDX[b]);
    rate.push(k);
    return rate.length - 1;
  };

  // Blood: total clearance split by relative weights; the heart's weight follows coronary flow.
  const kBlood = rateOf(sys.blood_half_life_min, 60);
  const heartWeight = sp.coronary_flow_fraction.value * sys.heart_extraction_relative.value;
  const totalWeight =
    sys.share_liver_spleen.value +
    sys.share_lungs.value +
    sys.share_elimination.value +
    sys.share_rest_of_body.value +
    heartWeight;
  const kShare = (w: number) => (kBlood * w) / totalWeight;
  const liverSpleenTransfer = add("blood", "liver_spleen", kShare(sys.share_liver_spleen.value));
  add("blood", "lungs", kShare(sys.share_lungs.value));
  add("blood", "eliminated", kShare(sys.share_elimination.value));
  add("blood", "rest_of_body", kShare(sys.share_rest_of_body.value));
  const kHeart = kShare(heartWeight);
  const infarctUptake = add("blood", "infarct", 0);
  const remoteUptake = add("blood", "remote", 0);

  // Organs sequester and degrade.
  add("liver_spleen", "eliminated", rateOf(sys.liver_spleen_degradation_half_life_h));
  add("lungs", "eliminated", rateOf(sys.lung_clearance_half_life_h));
  add("rest_of_body", "eliminated", rateOf(sys.rest_of_body_clearance_half_life_h));

  // Myocardium: interstitial particles wash out to blood or are taken up by cells, where cargo decays.
  const kWash = rateOf(sys.myocardial_washout_half_life_h);
  const kUptake = rateOf(sys.cell_uptake_half_life_h);
  const kCargo = rateOf(sys.intracellular_cargo_half_life_h);
  const infarctWashout = add("infarct", "blood", kWash);
  add("infarct", "infarct_cells", kUptake);
  add("infarct_cells", "eliminated", kCargo);
  const remoteWashout = add("remote", "blood", kWash);
  add("remote", "remote_cells", kUptake);
  add("remote_cells", "eliminated", kCargo);

  // A perfusion circuit isolates the heart while it runs: washout goes back to the perfusate.
  const circuits = depotRoutes
    .filter((r) => routeDefs.get(r)!.depot!.circuit)
    .flatMap((r) =>
      opts.doses
        .filter((d) => d.route === r)
        .map((d) => ({
          start: d.time_h,
          end: d.time_h + routeDefs.get(r)!.depot!.window_h!.value,
          infarct: add("infarct", depotIndex.get(r)!, 0),
          remote: add("remote", depotIndex.get(r)!, 0),
        })),
    );

  // Depots: release into the heart (or cells) and blood; optional loss inside the depot.
  for (const r of depotRoutes) {
    const depot = routeDefs.get(r)!.depot!;
    const d = depotIndex.get(r)!;
    let anchoring = 1;
    for (const l of ligands) if (l.anchors_in.includes(r)) anchoring *= l.depot_release_multiplier.value;
    const kRelease = rateOf(depot.release_half_life_h) * anchoring;
    const toHeart = depot.release_to_heart_fraction.value;
    add(d, depot.release_to, kRelease * toHeart);
    add(d, "blood", kRelease * (1 - toHeart));
    if (depot.degradation_half_life_h) add(d, "eliminated", rateOf(depot.degradation_half_life_h));
  }

  // Time course after the injury: the permeability window and ischemia fade together.
  const m = injury.infarct_mass_fraction.value;
  const kWindow = halfLifeRate(sys.permeability_window_half_life_h.value);
  const pEarly = injury.relative_uptake_early.value;
  const pLate = injury.relative_uptake_late.value;
  const iEarly = injury.ischemia_early.value;
  const iLate = injury.ischemia_late.value;
  let ungatedInfarctGain = 1;
  let remoteGain = 1;
  const gatedGains: number[] = [];
  for (const l of ligands) {
    if (l.gated_by_ischemia) gatedGains.push(l.infarct_uptake_multiplier.value);
    else ungatedInfarctGain *= l.infarct_uptake_multiplier.value;
    remoteGain *= l.remote_uptake_multiplier.value;
  }
  const rateArray = Float64Array.from(rate);
  const setTime = (t: number): void => {
    const w = Math.exp(-kWindow * Math.max(0, t));
    const p = pLate + (pEarly - pLate) * w;
    const ischemia = iLate + (iEarly - iLate) * w;
    const infarctShare = (m * p) / (m * p + (1 - m));
    let gain = ungatedInfarctGain;
    for (let g = 0; g < gatedGains.length; g++) gain *= 1 + (gatedGains[g] - 1) * ischemia;
    rateArray[infarctUptake] = kHeart * infarctShare * gain;
    rateArray[remoteUptake] = kHeart * (1 - infarctShare) * remoteGain;
    let toBlood = 1;
    for (let c = 0; c < circuits.length; c++) {
      const on = t >= circuits[c].start && t < circuits[c].end ? 1 : 0;
      rateArray[circuits[c].infarct] = kWash * on;
      rateArray[circuits[c].remote] = kWash * on;
      toBlood -= on;
    }
    rateArray[infarctWashout] = kWash * Math.max(0, toBlood);
    rateArray[remoteWashout] = kWash * Math.max(0, toBlood);
  };

  // Bound on outflow rates: heart uptake at its largest possible gain.
  let maxGatedGain = ungatedInfarctGain;
  for (const g of gatedGains) maxGatedGain *= Math.max(1, g);
  setTime(0);
  const outflow = new Float64Array(names.length);
  for (let j = 0; j < rateArray.length; j++) outflow[from[j]] += rateArray[j];
  outflow[IDX.blood] += kHeart * Math.max(maxGatedGain, remoteGain, 1);
  const maxRate = Math.max(...outflow);

  const events = buildDoseEvents(opts.doses, routeDefs, depotIndex);
  const firstMode = routeDefs.get(opts.doses[0].route)!.mode;
  const heartStates = [IDX.infarct, IDX.infarct_cells, IDX.remote, IDX.remote_cells];
  for (const r of depotRoutes) if (routeDefs.get(r)!.depot!.in_heart) heartStates.push(depotIndex.get(r)!);
  const inVitro = routeDefs.get(opts.doses[0].route)!;
  const cellCount =
    firstMode === "in-vitro"
      ? inVitro.cells_per_well!.value
      : sp.heart_mass_g.value * m * sys.myocardial_cells_per_g.value;

  return {
    names,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    rate: rateArray,
    setTime,
    varying: Int32Array.of(infarctUptake, remoteUptake),
    windowRate: kWindow,
    switchTimes: circuits.flatMap((c) => [c.start, c.end]),
    liverSpleenTransfer,
    heartStates,
    cellCount,
    events,
    maxRate,
    bloodVolumeMl: sp.blood_volume_ml.value,
    extrapolated: sp.extrapolated,
    mode: firstMode,
  };
}

/** Each dose splits at injection (leak to blood, remote myocardium, the rest to its target). */
function buildDoseEvents(
  doses: DoseInput[],
  routeDefs: Map<RouteId, RouteDef>,
  depotIndex: Map<RouteId, number>,
): ModelEvent[] {
  const events: ModelEvent[] = [];
  for (const dose of doses) {
    const route = routeDefs.get(dose.route)!;
    const leak = route.placement.leak_to_blood?.value ?? 0;
    const remote = route.placement.to_remote?.value ?? 0;
    const target =
      route.placement.target === "depot" ? depotIndex.get(route.id)! : IDX[route.placement.target];
    const amount = dose.dose_particles;
    events.push({
      time_h: dose.time_h,
      apply(x) {
        x[IDX.blood] += amount * leak;
        x[IDX.remote] += amount * remote;
        x[target] += amount * (1 - leak - remote);
      },
    });
    const window = route.depot?.window_h?.value;
    if (window !== undefined) {
      // End of the depot's life (perfusion stops): what is left is discarded.
      events.push({
        time_h: dose.time_h + window,
        apply(x) {
          x[IDX.eliminated] += x[target];
          x[target] = 0;
        },
      });
    }
  }
  return events.sort((a, b) => a.time_h - b.time_h);
}

export const COMPARTMENT_INDEX = IDX;
