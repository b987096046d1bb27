import { AUX, type DenseSolution, integrate, interpolate } from "./integrate.ts";
import { loadDeliveryData } from "./load.ts";
import { COMPARTMENT_INDEX, compileModel } from "./model.ts";
import { withOverridesShared } from "./parameters.ts";
import type { DeliveryData, DeliveryInput, InjuryId, LigandId, RouteId, SpeciesId } from "./schema.ts";
import { normalizeInput } from "./validate.ts";

export interface SimulateOptions {
  /** parameter overrides by key (see parameterTable), e.g. one virtual-cohort member */
  parameters?: Record<string, number>;
  /** use these data instead of data/*.yaml (tests, what-if analyses) */
  data?: DeliveryData;
}

/**
 * Immutable. `compartments`, `bloodConcentrationPerMl`, the liver/spleen readouts and `amountAt` read
 * states the call does not compute: the first read of any of them runs a second sweep (see integrate.ts).
 */
export interface DeliveryResult {
  species: SpeciesId;
  injury: InjuryId;
  /** ligands in effect: requested plus the route presets' defaults */
  ligands: LigandId[];
  routes: RouteId[];
  doses: Array<{ time_h: number; dose_particles: number; route: RouteId }>;
  duration_h: number;
  totalDose: number;
  /** true when species parameters are extrapolated (human) */
  extrapolated: boolean;
  warnings: string[];
  /** output times (h after the injury) and particles per compartment (COMPARTMENTS, then depot:<route>) */
  times: number[];
  compartments: Record<string, number[]>;
  /** particles counted as "in the heart" (myocardium, its cells, gels/patches on or in it) */
  heart: number[];
  /** particles per mL of blood at the output times */
  bloodConcentrationPerMl: number[];
  /** ∫ (infarct interstitium + infarct cells) dt over [0, duration_h], particle·h */
  cardiacExposure: number;
  /** cardiacExposure / total dose, h (the exposure one particle of dose buys) */
  cardiacExposurePerParticle: number;
  /** % of the dose given by then that sits in liver + spleen 24 h after the first dose */
  liverSpleenPct24h: number;
  /** % of the total dose ever taken up by liver + spleen over the run */
  liverSpleenUptakePct: number;
  /** cells sharing the infarct intracellular particles (heart cells in the infarct; cells per well in vitro) */
  cellCount: number;
  cargoUnit: string;
  /** % of the dose given by time t that is in the heart at t */
  cardiacRetentionPct(t: number): number;
  /** particles taken up per infarct/border-zone cell (after uptake and intracellular decay) at t. No allocation. */
  intracellularCargo(t: number): number;
  /** particles in a compartment at any t (linear interpolation of the dense solution) */
  amountAt(compartment: string, t: number): number;
}

/**
 * Exosome pharmacokinetics for one dosing plan: a linear compartment model (blood, liver/spleen,
 * lungs, infarct and remote myocardium with their cells, rest of body, route depots), solved on a dense
 * grid. Everything is linear in dose, so exposure and cargo scale exactly with dose.
 */
export function simulateDelivery(input: DeliveryInput, options: SimulateOptions = {}): DeliveryResult {
  const data = withOverridesShared(options.data ?? loadDeliveryData(), options.parameters);
  const inp = normalizeInput(input, data);
  const model = compileModel(data, inp);

  const firstDose = inp.doses[0].time_h;
  const horizon = Math.max(inp.duration_h, firstDose + 24);
  const t24 = firstDose + 24;
  // whole rows are kept only around the times read below; amountAt elsewhere builds the full table
  const sol = integrate(model, horizon, [...inp.outputTimes, inp.duration_h, t24], [inp.duration_h]);

  const doseTimes = Float64Array.from(inp.doses.map((d) => d.time_h));
  const doseAmounts = Float64Array.from(inp.doses.map((d) => d.dose_particles));
  // doses count as given with the integrator's event tolerance (integrate.ts fires a dose at
  // t + 1e-9·horizon together with one at t), so retention never exceeds 100% by rounding of times
  const eventEps = 1e-9 * Math.max(1, horizon);
  const administered = (t: number): number => {
    let s = 0;
    for (let i = 0; i < doseTimes.length && doseTimes[i] <= t + eventEps; i++) s += doseAmounts[i];
    return s;
  };
  const totalDose = administered(Number.POSITIVE_INFINITY);

  const n = sol.nCompartments;
  const perCell = 1 / model.cellCount;
  const cellsCol = sol.cells;
  const intracellularCargo = (t: number): number => {
    if (!(t > 0)) return cellsCol[0] * perCell;
    const pos = t / sol.dt;
    const i = Math.floor(pos);
    if (i >= sol.rows - 1) return cellsCol[sol.rows - 1] * perCell;
    return (cellsCol[i] + (pos - i) * (cellsCol[i + 1] - cellsCol[i])) * perCell;
  };

  // Heart amount as its own dense column, so retention is one interpolation.
  const heartCol = sol.heart;
  const heartAt = (t: number): number => {
    if (!(t > 0)) return heartCol[0];
    const pos = t / sol.dt;
    const i = Math.floor(pos);
    if (i >= sol.rows - 1) return heartCol[sol.rows - 1];
    return heartCol[i] + (pos - i) * (heartCol[i + 1] - heartCol[i]);
  };
  const cardiacRetentionPct = (t: number): number => {
    const given = administered(t);
    return given > 0 ? (100 * heartAt(t)) / given : 0;
  };
  const nameIndex = new Map(model.names.map((name, i) => [name, i]));
  const amountAt = (compartment: string, t: number): number => {
    const i = nameIndex.get(compartment);
    if (i === undefined)
      throw new RangeError(`unknown compartment ${compartment}; known: ${model.names.join(", ")}`);
    return interpolate(sol, i, t);
  };
  // The other compartments come from a second sweep, on first read (a virtual-cohort member reads only
  // the cargo, and the Scenario readouts only exposure and retention). The arrays are built once.
  let compartments: Record<string, number[]> | undefined;
  const outputSeries = (): Record<string, number[]> => {
    compartments ??= compartmentSeries(sol, model.names, inp.outputTimes);
    return compartments;
  };
  let heart: number[] | undefined;
  let bloodConcentrationPerMl: number[] | undefined;
  const exposure = interpolate(sol, n + AUX.exposure, inp.duration_h);

  return {
    species: inp.species,
    injury: inp.injury,
    ligands: inp.ligands,
    routes: [...new Set(inp.doses.map((d) => d.route))],
    doses: inp.doses,
    duration_h: inp.duration_h,
    totalDose,
    extrapolated: model.extrapolated,
    warnings: warningsFor(data, inp, model.extrapolated),
    times: inp.outputTimes,
    get compartments() {
      return outputSeries();
    },
    get heart() {
      heart ??= inp.outputTimes.map(heartAt);
      return heart;
    },
    get bloodConcentrationPerMl() {
      bloodConcentrationPerMl ??= outputSeries().blood.map((b) => b / model.bloodVolumeMl);
      return bloodConcentrationPerMl;
    },
    cardiacExposure: exposure,
    cardiacExposurePerParticle: exposure / totalDose,
    get liverSpleenPct24h() {
      return (100 * interpolate(sol, COMPARTMENT_INDEX.liver_spleen, t24)) / administered(t24);
    },
    get liverSpleenUptakePct() {
      return (100 * interpolate(sol, n + AUX.liverSpleenUptake, inp.duration_h)) / totalDose;
    },
    cellCount: model.cellCount,
    cargoUnit:
      model.mode === "in-vitro"
        ? "particles taken up per cultured cell"
        : "particles taken up per infarct/border-zone cell",
    cardiacRetentionPct,
    intracellularCargo,
    amountAt,
  };
}

/** Every compartment at the output times. */
function compartmentSeries(sol: DenseSolution, names: string[], times: number[]): Record<string, number[]> {
  const series = names.map(() => new Array<number>(times.length));
  const row = new Float64Array(sol.width);
  times.forEach((t, j) => {
    sol.interpolateRow(t, row);
    for (let i = 0; i < series.length; i++) series[i][j] = row[i];
  });
  const compartments: Record<string, number[]> = {};
  names.forEach((name, i) => {
    compartments[name] = series[i];
  });
  return compartments;
}

function warningsFor(
  data: DeliveryData,
  inp: ReturnType<typeof normalizeInput>,
  extrapolated: boolean,
): string[] {
  const out: string[] = [];
  if (extrapolated)
    out.push(`${inp.species} parameters are allometric extrapolations from mouse exosome PK data`);
  const routesUsed = new Set<string>(inp.doses.map((d) => d.route));
  for (const l of data.routes.ligands) {
    if (!inp.ligands.includes(l.id)) continue;
    const homes = l.infarct_uptake_multiplier.value !== 1 || l.remote_uptake_multiplier.value !== 1;
    const anchorsHere = l.anchors_in.some((r) => routesUsed.has(r));
    if (!homes && !anchorsHere)
      out.push(`ligand ${l.id} has no effect on these routes (anchors only in ${l.anchors_in.join(", ")})`);
  }
  return out;
}

/** The Scenario readouts this module provides, at `time_h` (h after the injury). */
export function deliveryReadouts(result: DeliveryResult, time_h: number) {
  return {
    /** particle·h in infarct/border-zone myocardium over the run */
    cardiac_exposure: result.cardiacExposure,
    /** % of the dose in the heart at time_h */
    cardiac_retention: result.cardiacRetentionPct(time_h),
  };
}
