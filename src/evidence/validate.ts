/**
 * Cross-file checks a per-record schema cannot make: duplicate ids, ids that point nowhere, a study
 * without a reference, a reference alias that dangles, and aliases that would make a name
 * ambiguous. Returns every problem found, so one run shows all of them.
 */
import { normalizeName } from "./normalize.ts";
import type { Entity, Fact, Reference, Study } from "./schema.ts";
import { tableCitationKeys } from "./seed.ts";
import { type EntityType, READOUTS } from "./vocabulary.ts";

export interface Issue {
  file: string;
  id?: string;
  field: string;
  message: string;
}

interface Parsed {
  references: Reference[];
  entities: Entity[];
  studies: Study[];
  facts: Fact[];
}

const FILES = {
  references: "references.yaml",
  entities: "entities.yaml",
  studies: "studies.yaml",
  facts: "facts.yaml",
};

/** Which entity types each study field may point to. */
const STUDY_FIELD_TYPES: Record<string, readonly EntityType[] | "any"> = {
  cargo: ["mirna", "lncrna", "circrna", "sirna", "protein", "cytokine", "peptide", "material"],
  engineering: ["process"],
  targets: ["mirna", "protein", "gene", "cytokine"],
  pathways: ["pathway"],
  effects: ["process"],
  effect_categories: ["effect"],
  routes: ["route"],
  materials: ["material", "peptide"],
};

export function crossCheck(kb: Parsed): Issue[] {
  const issues: Issue[] = [];
  const push = (file: string, id: string | undefined, field: string, message: string) =>
    issues.push({ file, id, field, message });

  for (const [file, list] of [
    [FILES.references, kb.references],
    [FILES.entities, kb.entities],
    [FILES.studies, kb.studies],
    [FILES.facts, kb.facts],
  ] as const) {
    const seen = new Set<string>();
    for (const { id } of list) {
      if (seen.has(id)) push(file, id, "id", `duplicate id "${id}"`);
      seen.add(id);
    }
  }

  const refs = new Map(kb.references.map((r) => [r.id, r]));
  for (const r of kb.references) {
    if (r.alias_of === undefined) continue;
    const target = refs.get(r.alias_of);
    if (!target) push(FILES.references, r.id, "alias_of", `dangling alias: no reference "${r.alias_of}"`);
    else if (target.alias_of) push(FILES.references, r.id, "alias_of", `"${r.alias_of}" is itself an alias`);
  }

  const entities = new Map(kb.entities.map((e) => [e.id, e]));
  checkEntities(kb.entities, entities, push);

  const studyIds = new Set(kb.studies.map((s) => s.id));
  const claimIds = new Set<string>();
  for (const s of kb.studies) {
    const expectedId = `T${s.table}-${String(s.row).padStart(2, "0")}`;
    if (s.id !== expectedId)
      push(FILES.studies, s.id, "id", `table ${s.table} row ${s.row} must have id ${expectedId}`);
    const keys = studyReferenceKeys(s);
    if (keys.length === 0) push(FILES.studies, s.id, "reference", "study has no reference");
    if (s.reference !== undefined && s.references !== undefined) {
      push(FILES.studies, s.id, "references", "give either reference or references, not both");
    }
    for (const key of keys) {
      if (!refs.has(key)) push(FILES.studies, s.id, "reference", `unknown reference "${key}"`);
    }
    const cited = tableCitationKeys(s.cells.references);
    if (cited.join("|") !== keys.join("|")) {
      push(
        FILES.studies,
        s.id,
        "reference",
        `[${keys.join("; ")}] does not match the cell "${s.cells.references}"`,
      );
    }
    for (const [field, types] of Object.entries(STUDY_FIELD_TYPES)) {
      for (const id of (s as unknown as Record<string, string[]>)[field]) {
        const e = entities.get(id);
        if (!e) push(FILES.studies, s.id, field, `unknown entity "${id}"`);
        else if (types !== "any" && !types.includes(e.type)) {
          push(FILES.studies, s.id, field, `"${id}" is a ${e.type}; expected ${types.join(" or ")}`);
        }
      }
    }
    for (const l of s.linked_studies) {
      if (!studyIds.has(l)) push(FILES.studies, s.id, "linked_studies", `unknown study "${l}"`);
    }
    for (const c of s.claims) {
      if (claimIds.has(c.id)) push(FILES.studies, s.id, "claims.id", `duplicate claim id "${c.id}"`);
      claimIds.add(c.id);
      if (!entities.has(c.readout))
        push(FILES.studies, s.id, `claims.${c.id}.readout`, `no entity "${c.readout}"`);
    }
  }

  for (const f of kb.facts) {
    for (const key of f.references) {
      if (!refs.has(key)) push(FILES.facts, f.id, "references", `unknown reference "${key}"`);
    }
    for (const sid of f.studies)
      if (!studyIds.has(sid)) push(FILES.facts, f.id, "studies", `unknown study "${sid}"`);
  }

  for (const readout of READOUTS) {
    if (!entities.has(readout)) push(FILES.entities, readout, "id", `readout "${readout}" has no entity`);
  }
  return issues;
}

function checkEntities(
  list: Entity[],
  byId: Map<string, Entity>,
  push: (file: string, id: string | undefined, field: string, message: string) => void,
): void {
  const owner = new Map<string, string>();
  for (const e of list) {
    const names = [
      e.id,
      e.name,
      ...e.aliases,
      ...(e.hgnc ? [e.hgnc] : []),
      ...(e.mirbase ? [e.mirbase] : []),
    ];
    for (const n of new Set(names.map(normalizeName))) {
      if (n === "") push(FILES.entities, e.id, "aliases", "an alias is empty after normalization");
      const other = owner.get(n);
      if (other !== undefined && other !== e.id) {
        push(FILES.entities, e.id, "aliases", `ambiguous alias "${n}": also names "${other}"`);
      }
      owner.set(n, e.id);
    }
    for (const m of e.members ?? []) {
      if (!byId.has(m)) push(FILES.entities, e.id, "members", `dangling member "${m}"`);
    }
    if (e.effect_category !== undefined) {
      const cat = byId.get(e.effect_category);
      if (!cat) push(FILES.entities, e.id, "effect_category", `unknown effect "${e.effect_category}"`);
      else if (cat.type !== "effect")
        push(FILES.entities, e.id, "effect_category", `"${cat.id}" is not an effect`);
    }
    if (e.type === "route" && e.route_class === undefined)
      push(FILES.entities, e.id, "route_class", "routes need one");
  }
}

/** The reference keys of a study, whichever of `reference` / `references` it uses. */
export function studyReferenceKeys(s: Study): string[] {
  return s.references ?? (s.reference !== undefined ? [s.reference] : []);
}
