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

export function registerDerivedReadout(id: string, fn: DerivedReadout): void {
  if (!derived.has(id)) DERIVED_READOUTS.push(id);
  derived.set(id, fn);
}

export function isDerivedReadout(id: string): boolean {
  return derived.has(id);
}

export function readoutValue(result: SimulationResult, id: string, t: number): number {
  const fn = derived.get(id);
  return fn ? fn(result, t) : result.at(id, t);
}
