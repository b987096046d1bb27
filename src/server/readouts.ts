import { InputError } from "../cli/errors.ts";
import type { NetworkModel } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import { DERIVED_READOUTS, isDerivedReadout, readoutValue } from "../scenario/readouts.ts";
import type { SimulationResult } from "../scenario/simulate.ts";
// registers the tissue and delivery readouts (LVEF, infarct size, cardiac exposure …)
import "../scenario/all-readouts.ts";
import type { ReadoutInfo } from "./schemas.ts";

/**
 * Readouts the API offers: the network's effect outputs (normalized activity 0–1), any network node
 * on request, and the derived readouts other modules register (tissue, delivery), with units.
 */

/** Units of derived readouts whose module does not state one; unknown ids get "a.u.". */
const DERIVED_UNITS: Record<string, string> = {
  infarct_size: "% of LV",
  lvef: "%",
  fractional_shortening: "%",
  lvedd: "mm",
  capillary_density: "capillaries/mm²",
  lvesd: "mm",
  area_at_risk: "% of LV",
  collagen_fraction: "% of LV",
  cardiac_exposure: "particle·h",
  cardiac_retention: "% of dose",
};

export function defaultReadouts(model: NetworkModel): ReadoutInfo[] {
  const effects: ReadoutInfo[] = model.species
    .filter((s) => s.readout)
    .map((s) => ({
      id: s.readout!,
      name: s.name,
      unit: "activity (0–1)",
      kind: "effect",
      module: s.module,
      node: s.id,
    }));
  const derived: ReadoutInfo[] = DERIVED_READOUTS.filter((id) => !effects.some((e) => e.id === id)).map(
    (id) => ({
      id,
      name: id.replace(/_/g, " "),
      unit: DERIVED_UNITS[id] ?? "a.u.",
      kind: "derived",
    }),
  );
  return [...effects, ...derived];
}

export function resolveReadouts(model: NetworkModel, ids: readonly string[] | undefined): ReadoutInfo[] {
  const all = defaultReadouts(model);
  if (!ids) return all;
  return ids.map((id, i) => {
    const known = all.find((r) => r.id === id);
    if (known) return known;
    if (isDerivedReadout(id)) return { id, name: id, unit: DERIVED_UNITS[id] ?? "a.u.", kind: "derived" };
    const s = resolveSpecies(model, id);
    if (!s) {
      const allowed = [...all.map((r) => r.id), ...model.species.map((x) => x.id)];
      throw new InputError(`body.readouts.${i}`, id, allowed, "unknown readout or network node");
    }
    return { id, name: s.name, unit: "activity (0–1)", kind: "node", module: s.module, node: s.id };
  });
}

/** The time course of each readout on the result's time grid. */
export function readoutSeries(
  result: SimulationResult,
  readouts: readonly ReadoutInfo[],
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const times = result.times;
  for (const r of readouts) {
    if (r.kind === "derived") out[r.id] = Array.from(times, (t) => readoutValue(result, r.id, t));
    else out[r.id] = Array.from(result.series(r.node ?? r.id));
  }
  return out;
}
