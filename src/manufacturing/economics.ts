import { InputError } from "../core/errors.ts";
import { findMethod, type IsolationData } from "./isolation.ts";
import { pick, type RangeEnd } from "./quantity.ts";

export interface CostRequest {
  doseParticles: number;
  method: string;
  cellSource?: string;
  /** Litres of conditioned medium per run; defaults to the data file's `runVolumeL`. */
  runVolumeL?: number;
}

export interface RunEconomics {
  particlesPerRun: number;
  usableParticlesPerRun: number;
  isolationRuns: number;
  daysPerRun: number;
  costPerRunUsd: number;
  costBreakdownUsd: { culture: number; labour: number; isolation: number; releaseTesting: number };
}

export interface CostEstimate extends RunEconomics {
  method: string;
  cellSource: string;
  doseParticles: number;
  runVolumeL: number;
  dosesPerRun: number;
  runsPerDose: number;
  costPerDoseUsd: number;
  /** Cost per dose with every parameter at its favourable / unfavourable end. */
  costPerDoseRangeUsd: [number, number];
  reference: { reviewYieldPerRun: number; reviewCostPerDoseUsd: [number, number] };
}

/**
 * One GMP run: expand cells from a working-bank vial, condition the medium, harvest, isolate,
 * release-test the lot. Cost scales with culture days (so with the source's doubling time),
 * with the isolation method's consumables and hands-on time, and with one release panel per lot.
 * `favourable` picks each parameter's end that lowers cost (high recovery, low prices).
 */
function runEconomics(
  data: IsolationData,
  methodId: string,
  cellSourceId: string,
  runVolumeL: number,
  scenario: "central" | "favourable" | "unfavourable",
): RunEconomics {
  const e = data.economics;
  const m = findMethod(data, methodId);
  const source = e.cellSources.find((c) => c.id === cellSourceId);
  if (!source) {
    throw new InputError(
      "cell-source",
      cellSourceId,
      e.cellSources.map((c) => c.id),
    );
  }
  const good: RangeEnd = scenario === "central" ? "value" : scenario === "favourable" ? "high" : "low";
  const bad: RangeEnd = scenario === "central" ? "value" : scenario === "favourable" ? "low" : "high";

  const particlesPerRun =
    runVolumeL * 1000 * pick(e.conditionedMediumParticlesPerMl, good) * pick(m.recovery, good);
  const usableParticlesPerRun = particlesPerRun * (1 - pick(e.qcRetainFraction, bad));
  const cultureHours =
    pick(e.expansionDoublings, bad) * pick(source.doublingHours, bad) + pick(e.conditioningHours, bad);
  const cultureDays = cultureHours / 24;
  const isolationRuns = Math.ceil(runVolumeL / pick(m.maxVolumePerRunL, good));
  const isolationHours = isolationRuns * pick(m.fixedHoursPerRun, bad) + runVolumeL * pick(m.hoursPerL, bad);
  const labourRate = pick(e.labourUsdPerHour, bad);
  const culture = runVolumeL * cultureDays * pick(e.cultureUsdPerLPerDay, bad);
  const labour = (cultureDays * pick(e.cultureHandsOnHoursPerDay, bad) + isolationHours) * labourRate;
  const isolation =
    isolationRuns * pick(m.consumablesUsdPerRun, bad) + runVolumeL * pick(m.consumablesUsdPerL, bad);
  const releaseTesting = pick(e.releaseTestingUsdPerLot, bad);
  return {
    particlesPerRun,
    usableParticlesPerRun,
    isolationRuns,
    daysPerRun: cultureDays + isolationHours / 24,
    costPerRunUsd: culture + labour + isolation + releaseTesting,
    costBreakdownUsd: { culture, labour, isolation, releaseTesting },
  };
}

function perDose(
  run: RunEconomics,
  dose: number,
): { dosesPerRun: number; runsPerDose: number; cost: number } {
  const dosesPerRun = Math.floor(run.usableParticlesPerRun / dose);
  if (dosesPerRun >= 1)
    return { dosesPerRun, runsPerDose: 1 / dosesPerRun, cost: run.costPerRunUsd / dosesPerRun };
  const runsPerDose = Math.ceil(dose / run.usableParticlesPerRun);
  return { dosesPerRun: 0, runsPerDose, cost: runsPerDose * run.costPerRunUsd };
}

/** Prices one dose of `doseParticles` made by `method` from `cellSource` cells. */
export function costPerDose(data: IsolationData, req: CostRequest): CostEstimate {
  if (!(req.doseParticles > 0) || !Number.isFinite(req.doseParticles)) {
    throw new InputError("dose-particles", req.doseParticles, [], "must be a positive number, e.g. 1e11");
  }
  const runVolumeL = req.runVolumeL ?? data.economics.runVolumeL.value;
  if (!(runVolumeL > 0))
    throw new InputError("run-volume-l", runVolumeL, [], "must be a positive number of litres");
  const cellSource = req.cellSource ?? "hucmsc";
  const central = runEconomics(data, req.method, cellSource, runVolumeL, "central");
  const dose = perDose(central, req.doseParticles);
  const low = perDose(
    runEconomics(data, req.method, cellSource, runVolumeL, "favourable"),
    req.doseParticles,
  ).cost;
  const high = perDose(
    runEconomics(data, req.method, cellSource, runVolumeL, "unfavourable"),
    req.doseParticles,
  ).cost;
  const ref = data.economics.referenceCostPerDoseUsd;
  return {
    ...central,
    method: req.method.toLowerCase(),
    cellSource,
    doseParticles: req.doseParticles,
    runVolumeL,
    dosesPerRun: dose.dosesPerRun,
    runsPerDose: dose.runsPerDose,
    costPerDoseUsd: dose.cost,
    costPerDoseRangeUsd: [low, high],
    reference: {
      reviewYieldPerRun: data.economics.reviewYieldPerRun.value,
      reviewCostPerDoseUsd: ref.range ?? [ref.value, ref.value],
    },
  };
}
