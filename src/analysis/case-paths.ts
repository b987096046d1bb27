import { designFromTherapy } from "../engineering/cargo.ts";
import type { ContraEvidence, NetworkModel } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import { injuryProfile } from "../scenario/injury.ts";
import { DERIVED_READOUTS, derivedReadoutId } from "../scenario/readouts.ts";
import { Scenario, type ScenarioInput } from "../scenario/schema.ts";
import { TISSUE_DRIVERS, TISSUE_READOUTS } from "../tissue/model.ts";
import "../scenario/all-readouts.ts";

/**
 * How far a validation case's readout is from what its scenario sets. A claim whose readout is an
 * input, or one edge from one, holds by construction (the model was written from the same claim):
 * it is *direct*. Two or more edges away the model has to get a mechanism right: *mechanistic*.
 * Agreement is reported for the two classes separately (issue 13, item 4).
 *
 * The graph: every network reaction gives an edge from each reactant (negated or not) to its product;
 * each tissue readout is one edge from each network driver of the tissue model (TISSUE_DRIVERS),
 * except the injury inputs: the tissue model reads ischemia to size the insult, which is the same in
 * both arms of every case, and counting that edge would make every tissue-function claim (LVEF, FS,
 * LVEDD, capillary density) "direct" although what the therapy changes reaches the tissue only
 * through cell-level effects two or more edges away. `injuryDrivesTissue` restores the edge.
 * Delivery readouts (cardiac_exposure, cardiac_retention) have no network inputs: the route and
 * ligand setting fixes them, so they are inputs of a treated scenario themselves.
 */

export type CaseClass = "direct" | "mechanistic";

/** One edge of the graph; `reaction` is the network reaction id, absent for a tissue edge. */
export interface PathEdge {
  from: string;
  to: string;
  reaction?: string;
  rule?: string;
}

export interface ContestedEdge {
  reaction: string;
  rule: string;
  against: ContraEvidence[];
}

export interface CasePath {
  /** the inputs the case's scenario sets (see caseInputs) */
  inputs: string[];
  /** graph node of the readout */
  node: string;
  /** edges on the shortest path from any input; null when no input reaches the readout */
  distance: number | null;
  cls: CaseClass;
  /** one shortest path, input first (empty for an input readout or an unreachable one) */
  path: PathEdge[];
  /** contested reactions on any shortest input → readout path */
  contested: ContestedEdge[];
}

/** Readouts computed from the network by the tissue model. */
const TISSUE = new Set<string>(TISSUE_READOUTS);

/** Derived readouts not computed from the network: the delivery model's, fixed by route and ligand. */
export function deliveryReadouts(): string[] {
  return DERIVED_READOUTS.filter((id) => !TISSUE.has(id));
}

export interface Graph {
  /** node → outgoing edges */
  out: Map<string, PathEdge[]>;
  /** reaction id → the contradicting evidence, for contested reactions */
  contested: Map<string, ContestedEdge>;
}

/** The network's injury inputs (driven by the scenario's injury model, data/injury.yaml). */
export const INJURY_INPUTS = ["ischemia", "reperfusion"] as const;

export function buildGraph(model: NetworkModel, opts: { injuryDrivesTissue?: boolean } = {}): Graph {
  const out = new Map<string, PathEdge[]>();
  const add = (e: PathEdge) => out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const contested = new Map<string, ContestedEdge>();
  for (const r of model.reactions) {
    for (const x of r.reactants) add({ from: x.species, to: r.product, reaction: r.id, rule: r.rule });
    if (r.against && r.against.length > 0)
      contested.set(r.id, { reaction: r.id, rule: r.rule, against: r.against });
  }
  const injury = new Set<string>(INJURY_INPUTS);
  for (const d of TISSUE_DRIVERS) {
    if (injury.has(d) && !opts.injuryDrivesTissue) continue;
    for (const t of TISSUE_READOUTS) add({ from: d, to: t });
  }
  return { out, contested };
}

/** Times at which an injury input is looked at: onset, just after each jump, and a few days. */
function injuryInputs(sc: Scenario): string[] {
  const prof = injuryProfile(sc);
  const times = [0, ...prof.breakpoints.map((b) => b + 1e-6), 1, 24, 168, sc.duration_h];
  const set: string[] = [];
  const [isch, rep] = INJURY_INPUTS;
  if (times.some((t) => prof.ischemia(t) > 0)) set.push(isch);
  if (times.some((t) => prof.reperfusion(t) > 0)) set.push(rep);
  return set;
}

/**
 * The inputs a case's scenario sets: the cargo species present in the cargo profile of either arm's
 * therapy (the only way a therapy enters the network), the injury inputs the injury model drives
 * (the same in both arms), every perturbed (clamped) node of either arm, and the delivery readouts
 * when either arm is treated.
 */
export function caseInputs(model: NetworkModel, arms: readonly (ScenarioInput | undefined)[]): string[] {
  const inputs = new Set<string>();
  for (const raw of arms) {
    if (!raw) continue;
    const sc = Scenario.parse(raw);
    for (const id of injuryInputs(sc)) inputs.add(id);
    for (const node of Object.keys(sc.perturb)) inputs.add(resolveSpecies(model, node)?.id ?? node);
    if (sc.therapy) {
      for (const [id, level] of designFromTherapy(model, sc.therapy).profile) if (level > 0) inputs.add(id);
      for (const id of deliveryReadouts()) inputs.add(id);
    }
  }
  return [...inputs].sort();
}

/** The graph node a readout name refers to: a derived readout id or a network species id. */
export function readoutNode(model: NetworkModel, readout: string): string {
  return derivedReadoutId(readout) ?? resolveSpecies(model, readout)?.id ?? readout;
}

/**
 * Multi-source breadth-first search from the inputs. Keeps every shortest-path predecessor edge, so
 * a contested edge is found on any of several equally short paths, not only on the first one.
 */
export function classifyCase(
  model: NetworkModel,
  c: { readout: string; scenario?: ScenarioInput; baseline?: ScenarioInput },
  graph = buildGraph(model),
): CasePath {
  const inputs = caseInputs(model, [c.scenario, c.baseline]);
  const node = readoutNode(model, c.readout);
  const dist = new Map<string, number>(inputs.map((i) => [i, 0]));
  const pred = new Map<string, PathEdge[]>();
  let frontier = [...inputs];
  while (frontier.length > 0 && !dist.has(node)) {
    const next: string[] = [];
    for (const u of frontier) {
      const du = dist.get(u)!;
      for (const e of graph.out.get(u) ?? []) {
        const dv = dist.get(e.to);
        if (dv === undefined) {
          dist.set(e.to, du + 1);
          pred.set(e.to, [e]);
          next.push(e.to);
        } else if (dv === du + 1) pred.get(e.to)!.push(e);
      }
    }
    frontier = next;
  }
  const distance = dist.get(node) ?? null;
  // walk back over every shortest-path edge into the readout
  const contested = new Map<string, ContestedEdge>();
  const seen = new Set<string>();
  const stack = distance ? [node] : [];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const e of pred.get(v) ?? []) {
      const hit = e.reaction ? graph.contested.get(e.reaction) : undefined;
      if (hit) contested.set(hit.reaction, hit);
      stack.push(e.from);
    }
  }
  const path: PathEdge[] = [];
  for (let v = node; distance && (dist.get(v) ?? 0) > 0; ) {
    const e = pred.get(v)![0];
    path.unshift(e);
    v = e.from;
  }
  return {
    inputs,
    node,
    distance,
    cls: distance !== null && distance <= 1 ? "direct" : "mechanistic",
    path,
    contested: [...contested.values()],
  };
}

/** A path as text: "miR_19a -> SOX6 -> JNK3". */
export function pathText(p: CasePath): string {
  if (p.distance === 0) return `${p.node} (input)`;
  if (p.distance === null) return "(no input reaches it)";
  return [p.path[0].from, ...p.path.map((e) => e.to)].join(" -> ");
}
