import type { SimulationResult } from "./simulate.ts";

/**
 * Readouts of a simulation. Network readouts are species values (effect outputs such as
 * `apoptosis`, or any node such as `BCL2`). Derived readouts (tissue, delivery) are computed by the
 * modules that own them and registered here, so validation and the CLI treat all readouts alike.
 */
export type DerivedReadout = (result: SimulationResult, t: number) => number;

const derived = new Map<string, DerivedReadout>();

/** Readout ids computed outside the network (tissue and delivery modules register theirs). */
export const DERIVED_READOUTS: string[] = [];

const aliases = new Map<string, string>();

/** Case, spaces, hyphens and underscores do not matter in readout names: "LVEF", "Infarct size". */
function key(name: string): string {
  return name.toLowerCase().replace(/[\s_\-/.]+/g, "");
}

/** Register a derived readout and the other names people use for it (e.g. "EF" for `lvef`). */
export function registerDerivedReadout(id: string, fn: DerivedReadout, names: string[] = []): void {
  if (!derived.has(id)) DERIVED_READOUTS.push(id);
  derived.set(id, fn);
  for (const n of [id, ...names]) aliases.set(key(n), id);
}

/** The derived readout id a name refers to, if any. */
export function derivedReadoutId(name: string): string | undefined {
  return derived.has(name) ? name : aliases.get(key(name));
}

export function isDerivedReadout(id: string): boolean {
  return derivedReadoutId(id) !== undefined;
}

export function readoutValue(result: SimulationResult, id: string, t: number): number {
  const d = derivedReadoutId(id);
  return d ? derived.get(d)!(result, t) : result.at(id, t);
}
