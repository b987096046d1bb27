/** Alias-aware, case- and Greek-insensitive lookup of entities and references. */
import { type KnowledgeBase, loadKnowledgeBase } from "./load.ts";
import { normalizeName } from "./normalize.ts";
import type { Entity, Reference } from "./schema.ts";

/** The entity a name, alias, HGNC symbol or miRBase name stands for ("MAPK10" → JNK3). */
export function resolveEntity(name: string, kb: KnowledgeBase = loadKnowledgeBase()): Entity | undefined {
  return kb.entityIndex.get(normalizeName(name));
}

/** A reference by its key, written either way the review writes it ("Song et al. (2021)"). */
export function resolveReference(
  key: string,
  kb: KnowledgeBase = loadKnowledgeBase(),
): Reference | undefined {
  const wanted = normalizeName(key);
  return kb.references.find((r) => normalizeName(r.id) === wanted);
}

/** A reference and every other key of the review for the same work (alias_of in both directions). */
export function sameWork(ref: Reference, kb: KnowledgeBase): Set<string> {
  const root = ref.alias_of ?? ref.id;
  const keys = new Set([root]);
  for (const r of kb.references) if (r.alias_of === root) keys.add(r.id);
  return keys;
}
