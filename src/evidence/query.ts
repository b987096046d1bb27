/**
 * Study queries: every filter accepts an id, a name, an alias or (for routes, models, species and
 * as a fallback for entities) a substring of a name, case- and Greek-insensitive. Filters combine
 * with AND. A value that matches nothing allowed throws an InputError naming the field and the
 * closest allowed values.
 */
import { InputError } from "../core/errors.ts";
import { entityNames, type KnowledgeBase } from "./load.ts";
import { normalizeName } from "./normalize.ts";
import { resolveEntity, resolveReference, sameWork } from "./resolve.ts";
import type { Entity, Study } from "./schema.ts";
import { studyReferenceKeys } from "./validate.ts";
import { INJURY_MODELS, SPECIES } from "./vocabulary.ts";

export interface StudyFilters {
  cargo?: string;
  target?: string;
  pathway?: string;
  effect?: string;
  route?: string;
  species?: string;
  model?: string;
  reference?: string;
  /** free text: every word must occur somewhere in the study (cells, names, aliases, claims) */
  search?: string;
  table?: 1 | 2;
}

export type FilterField = Exclude<keyof StudyFilters, "search" | "table">;
export const FILTER_FIELDS: readonly FilterField[] = [
  "cargo",
  "target",
  "pathway",
  "effect",
  "route",
  "species",
  "model",
  "reference",
];

export function queryStudies(kb: KnowledgeBase, filters: StudyFilters = {}): Study[] {
  const tests: ((s: Study) => boolean)[] = [];
  for (const field of FILTER_FIELDS) {
    const value = filters[field];
    if (value === undefined || value.trim() === "") continue;
    tests.push(MATCHERS[field](kb, value.trim()));
  }
  if (filters.table !== undefined) tests.push((s) => s.table === filters.table);
  if (filters.search !== undefined && filters.search.trim() !== "")
    tests.push(searchMatcher(kb, filters.search));
  return kb.studies.filter((s) => tests.every((t) => t(s)));
}

type Matcher = (kb: KnowledgeBase, value: string) => (s: Study) => boolean;

const MATCHERS: Record<FilterField, Matcher> = {
  cargo: (kb, v) => {
    const wanted = entitySet(
      kb,
      "cargo",
      v,
      (s) => [...s.cargo, ...s.engineering],
      (e) => [e],
    );
    return (s) => [...s.cargo, ...s.engineering].some((id) => wanted.has(id));
  },
  target: (kb, v) => {
    const wanted = entitySet(
      kb,
      "target",
      v,
      (s) => [...s.targets, ...s.pathways],
      (e) => [e, ...members(kb, e)],
    );
    return (s) => s.targets.some((id) => wanted.has(id)) || s.pathways.some((id) => wanted.has(id));
  },
  pathway: (kb, v) => {
    const wanted = entitySet(
      kb,
      "pathway",
      v,
      (s) => [...s.pathways, ...s.pathways.flatMap((p) => kb.entityById.get(p)?.members ?? [])],
      (e) => [e, ...kb.entities.filter((p) => p.members?.includes(e.id))],
    );
    return (s) => s.pathways.some((id) => wanted.has(id));
  },
  effect: (kb, v) => {
    const wanted = entitySet(kb, "effect", v, studyEffects, (e) => [
      e,
      ...kb.entities.filter((p) => p.effect_category === e.id),
    ]);
    return (s) => studyEffects(s).some((id) => wanted.has(id));
  },
  route: (kb, v) => {
    const byClass = kb.entities.filter((e) => e.type === "route" && e.route_class === normalizeClass(v));
    const wanted =
      byClass.length > 0
        ? new Set(byClass.map((e) => e.id))
        : entitySet(
            kb,
            "route",
            v,
            (s) => s.routes,
            (e) => [e],
            { substring: true },
          );
    return (s) => s.routes.some((id) => wanted.has(id));
  },
  species: (_kb, v) => {
    const wanted = vocabularySet("species", v, SPECIES);
    return (s) => s.species.some((id) => wanted.has(id));
  },
  model: (_kb, v) => {
    const wanted = vocabularySet("model", v, INJURY_MODELS);
    return (s) => s.models.some((id) => wanted.has(id));
  },
  reference: (kb, v) => {
    const exact = resolveReference(v, kb);
    let keys: Set<string>;
    if (exact) keys = sameWork(exact, kb);
    else {
      const n = normalizeName(v);
      keys = new Set(kb.references.filter((r) => normalizeName(r.id).includes(n)).map((r) => r.id));
      for (const k of [...keys]) for (const same of sameWork(kb.referenceById.get(k)!, kb)) keys.add(same);
    }
    const cited = new Set(kb.studies.flatMap(studyReferenceKeys));
    if (![...keys].some((k) => cited.has(k))) {
      throw new InputError("reference", v, [...cited].sort(), exact ? "cited by no table row" : undefined);
    }
    return (s) => studyReferenceKeys(s).some((k) => keys.has(k));
  },
};

/** Processes, effect categories and claim readouts of a study. */
function studyEffects(s: Study): string[] {
  return [...s.effects, ...s.effect_categories, ...s.claims.map((c) => c.readout)];
}

function members(kb: KnowledgeBase, e: Entity): Entity[] {
  return (e.members ?? []).map((id) => kb.entityById.get(id)).filter((m): m is Entity => m !== undefined);
}

function normalizeClass(v: string): string {
  return v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * The entity ids a filter value stands for. The pool is what the studies actually use in this
 * field; an exact name outside the pool, or no match at all, is an input error.
 */
function entitySet(
  kb: KnowledgeBase,
  field: FilterField,
  value: string,
  used: (s: Study) => string[],
  expand: (e: Entity) => Entity[],
  opts: { substring?: boolean } = {},
): Set<string> {
  const pool = new Set(kb.studies.flatMap(used));
  const poolEntities = [...pool]
    .map((id) => kb.entityById.get(id))
    .filter((e): e is Entity => e !== undefined);
  const allowed = poolEntities.map((e) => e.name).sort((a, b) => a.localeCompare(b));
  const exact = resolveEntity(value, kb);
  if (exact) {
    const ids = new Set(expand(exact).map((e) => e.id));
    if ([...ids].some((id) => pool.has(id))) return ids;
    if (!opts.substring) {
      throw new InputError(
        field,
        value,
        allowed,
        `"${exact.name}" is a ${exact.type} that no study lists as ${field}`,
      );
    }
  }
  const n = normalizeName(value);
  const partial =
    n.length >= 2 ? poolEntities.filter((e) => entityNames(e).some((x) => normalizeName(x).includes(n))) : [];
  if (partial.length === 0) throw new InputError(field, value, allowed);
  return new Set(partial.flatMap(expand).map((e) => e.id));
}

function vocabularySet(
  field: FilterField,
  value: string,
  vocab: Record<string, { name: string; aliases: readonly string[] }>,
): Set<string> {
  const n = normalizeName(value);
  const names = (id: string) => [id, vocab[id].name, ...vocab[id].aliases].map(normalizeName);
  const ids = Object.keys(vocab);
  let hits = ids.filter((id) => names(id).includes(n));
  if (hits.length === 0 && n.length >= 2) hits = ids.filter((id) => names(id).some((x) => x.includes(n)));
  if (hits.length === 0) throw new InputError(field, value, ids);
  return new Set(hits);
}

function searchMatcher(kb: KnowledgeBase, text: string): (s: Study) => boolean {
  const words = text.split(/\s+/).map(normalizeName).filter(Boolean);
  const haystacks = new Map(kb.studies.map((s) => [s.id, studyHaystack(kb, s)]));
  return (s) => words.every((w) => haystacks.get(s.id)!.includes(w));
}

function studyHaystack(kb: KnowledgeBase, s: Study): string {
  const ids = [
    ...s.cargo,
    ...s.engineering,
    ...s.targets,
    ...s.pathways,
    ...s.effects,
    ...s.effect_categories,
    ...s.routes,
    ...s.materials,
    ...s.claims.map((c) => c.readout),
  ];
  const parts = [
    s.id,
    ...Object.values(s.cells),
    ...studyReferenceKeys(s),
    ...s.claims.map((c) => c.text),
    ...s.species,
    ...s.models,
    s.category ?? "",
    s.note ?? "",
    ...ids.flatMap((id) => {
      const e = kb.entityById.get(id);
      return e ? entityNames(e) : [id];
    }),
  ];
  return parts.map(normalizeName).join("|");
}
