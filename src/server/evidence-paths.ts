import { entityNames, type KnowledgeBase } from "../evidence/index.ts";
import type { Claim, Study } from "../evidence/schema.ts";
import type { NetworkModel, Species } from "../network/model.ts";
import { resolveSpecies } from "../network/resolve.ts";
import { type EffectPath, pathsFrom } from "./network-paths.ts";

/**
 * Links the evidence to the model: for each claim of a study, the network path that carries it —
 * from the study's cargo (or, for native exosomes, from the targets the row names) to the effect
 * node of the claim's readout. A claim about a tissue readout (LVEF, infarct size) has no network
 * path; its `note` says so.
 */

export interface ClaimPath {
  claim: string;
  readout: string;
  /** the effect node the readout maps to, when the network has one */
  effect_node?: string;
  path?: EffectPath;
  note?: string;
}

/** The network node an evidence entity (by id) corresponds to, by any of its names. */
export function networkNodeFor(
  kb: KnowledgeBase,
  model: NetworkModel,
  entityId: string,
): Species | undefined {
  const e = kb.entityById.get(entityId);
  const names = e ? entityNames(e) : [entityId];
  for (const n of names) {
    const s = resolveSpecies(model, n);
    if (s) return s;
  }
  return undefined;
}

function effectNodeFor(model: NetworkModel, readout: string): Species | undefined {
  // an effect output first; a molecular readout (DMT1, NF-κB) is a node like any other
  return model.species.find((s) => s.readout === readout) ?? resolveSpecies(model, readout);
}

export function claimPaths(kb: KnowledgeBase, model: NetworkModel, study: Study): ClaimPath[] {
  const nodesOf = (ids: string[]) => [
    ...new Set(
      ids.map((id) => networkNodeFor(kb, model, id)?.id).filter((x): x is string => x !== undefined),
    ),
  ];
  const cargo = nodesOf([...study.cargo, ...study.engineering]).filter(
    (id) => model.species.find((s) => s.id === id)?.module === "cargo",
  );
  const sources = cargo.length > 0 ? cargo : nodesOf([...study.targets, ...study.pathways]);
  return study.claims.map((c: Claim) => {
    const effect = effectNodeFor(model, c.readout);
    if (!effect)
      return { claim: c.id, readout: c.readout, note: "tissue-level readout: no node in the network" };
    if (sources.length === 0) {
      return {
        claim: c.id,
        readout: c.readout,
        effect_node: effect.id,
        note: "the study's cargo and targets are not network nodes",
      };
    }
    let best: EffectPath | undefined;
    for (const src of sources) {
      if (src === effect.id) continue;
      const p = pathsFrom(model, src, new Set([effect.id])).effects[0];
      if (p && (!best || p.steps.length < best.steps.length)) best = p;
    }
    return best
      ? { claim: c.id, readout: c.readout, effect_node: effect.id, path: best }
      : {
          claim: c.id,
          readout: c.readout,
          effect_node: effect.id,
          note: "no path in the network from the study's cargo or targets",
        };
  });
}
