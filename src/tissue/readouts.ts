import { registerDerivedReadout } from "../scenario/readouts.ts";
import type { SimulationResult } from "../scenario/simulate.ts";
import { simulateTissue, TISSUE_READOUTS, type TissueCourse, tissueParams } from "./model.ts";

/** Registers the tissue readouts; the tissue course is computed once per simulation result. */
const courses = new WeakMap<SimulationResult, TissueCourse>();

export function tissueCourse(result: SimulationResult): TissueCourse {
  let c = courses.get(result);
  if (!c) {
    c = simulateTissue(result, tissueParams(result.scenario.species));
    courses.set(result, c);
  }
  return c;
}

function interp(times: Float64Array, v: Float64Array, t: number): number {
  if (t <= times[0]) return v[0];
  for (let k = 1; k < times.length; k++) {
    if (t <= times[k]) {
      const a = (t - times[k - 1]) / (times[k] - times[k - 1]);
      return v[k - 1] * (1 - a) + v[k] * a;
    }
  }
  return v[v.length - 1];
}

/** Other names for the tissue readouts, as papers write them. */
const NAMES: Record<(typeof TISSUE_READOUTS)[number], string[]> = {
  infarct_size: ["infarct size", "IS", "infarct area", "scar size"],
  lvef: ["EF", "ejection fraction", "LV ejection fraction", "cardiac function"],
  fractional_shortening: ["FS", "LVFS"],
  lvedd: ["LVIDd", "LV end-diastolic dimension", "LV end-diastolic diameter"],
  capillary_density: ["capillaries", "microvessel density", "vessel density", "CD31 density"],
  collagen_fraction: ["collagen volume fraction", "CVF", "fibrotic area", "fibrosis area"],
};

for (const id of TISSUE_READOUTS) {
  registerDerivedReadout(
    id,
    (r, t) => {
      const c = tissueCourse(r);
      return interp(c.times, c.series[id], t);
    },
    NAMES[id],
  );
}
