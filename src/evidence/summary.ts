/** Counts over the studies: by effect, route, species and model, and the cargo × effect matrix. */
import type { KnowledgeBase } from "./load.ts";
import type { Study } from "./schema.ts";
import { studyReferenceKeys } from "./validate.ts";
import { INJURY_MODELS, SPECIES } from "./vocabulary.ts";

export interface Count {
  id: string;
  label: string;
  studies: number;
}

export interface EvidenceSummary {
  totals: {
    studies: number;
    table1: number;
    table2: number;
    references: number;
    entities: number;
    facts: number;
    claims: number;
  };
  byEffectCategory: Count[];
  byEffect: Count[];
  byRoute: Count[];
  bySpecies: Count[];
  byModel: Count[];
  /** rows: cargo entity ids; columns: Figure 2 effect ids; cells: number of studies */
  cargoByEffect: { cargo: string[]; effects: string[]; counts: number[][] };
}

function countBy(kb: KnowledgeBase, values: (s: Study) => string[], label: (id: string) => string): Count[] {
  const counts = new Map<string, number>();
  for (const s of kb.studies) for (const v of new Set(values(s))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([id, studies]) => ({ id, label: label(id), studies }))
    .sort((a, b) => b.studies - a.studies || a.label.localeCompare(b.label));
}

export function summarize(kb: KnowledgeBase): EvidenceSummary {
  const name = (id: string) => kb.entityById.get(id)?.name ?? id;
  const effects = kb.entities.filter((e) => e.type === "effect").map((e) => e.id);
  const cargo = [...new Set(kb.studies.flatMap((s) => s.cargo))];
  const counts = cargo.map((c) =>
    effects.map(
      (e) => kb.studies.filter((s) => s.cargo.includes(c) && s.effect_categories.includes(e)).length,
    ),
  );
  return {
    totals: {
      studies: kb.studies.length,
      table1: kb.studies.filter((s) => s.table === 1).length,
      table2: kb.studies.filter((s) => s.table === 2).length,
      references: kb.references.length,
      entities: kb.entities.length,
      facts: kb.facts.length,
      claims: kb.studies.reduce((n, s) => n + s.claims.length, 0),
    },
    byEffectCategory: countBy(kb, (s) => s.effect_categories, name),
    byEffect: countBy(kb, (s) => s.effects, name),
    byRoute: countBy(kb, (s) => s.routes, name),
    bySpecies: countBy(
      kb,
      (s) => s.species,
      (id) => SPECIES[id as keyof typeof SPECIES]?.name ?? id,
    ),
    byModel: countBy(
      kb,
      (s) => s.models,
      (id) => INJURY_MODELS[id as keyof typeof INJURY_MODELS]?.name ?? id,
    ),
    cargoByEffect: { cargo, effects, counts },
  };
}

/** The references cited by table rows, with how many rows cite each. */
export function referenceRowCounts(kb: KnowledgeBase): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const s of kb.studies)
    for (const k of studyReferenceKeys(s)) rows.set(k, [...(rows.get(k) ?? []), s.id]);
  return rows;
}
