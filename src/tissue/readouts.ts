import { interpolate } from "../scenario/interpolate.ts";
import { registerDerivedReadout } from "../scenario/readouts.ts";
import type { SimulationResult } from "../scenario/simulate.ts";
import { TISSUE_READOUTS, type TissueCourse } from "./model.ts";

/** The tissue readouts of a simulation (solved with the network as one ODE, src/tissue/coupled.ts). */
export function tissueCourse(result: SimulationResult): TissueCourse {
  return result.tissue;
}

/** Other names for the tissue readouts, as papers write them. */
const NAMES: Record<(typeof TISSUE_READOUTS)[number], string[]> = {
  infarct_size: ["infarct size", "IS", "infarct area", "scar size"],
  lvef: ["EF", "ejection fraction", "LV ejection fraction", "cardiac function"],
  fractional_shortening: ["FS", "LVFS"],
  lvedd: ["LVIDd", "LV end-diastolic dimension", "LV end-diastolic diameter"],
  capillary_density: [
    "capillaries",
    "microvessel density",
    "vessel density",
    "CD31 density",
    "CD31",
    "CD31+ vessels",
  ],
  collagen_fraction: ["collagen volume fraction", "CVF", "fibrotic area", "fibrosis area"],
  lvesd: ["LVIDs", "LV end-systolic dimension", "LV end-systolic diameter"],
  area_at_risk: ["AAR", "area at risk", "risk area"],
};

for (const id of TISSUE_READOUTS) {
  registerDerivedReadout(
    id,
    (r, t) => {
      const c = tissueCourse(r);
      return interpolate(c.times, c.series[id], t);
    },
    NAMES[id],
  );
}
