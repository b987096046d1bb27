/**
 * Loads data/*.yaml, validates each file with its zod schema and then the whole with the
 * cross-reference checks, and caches the result per data directory. Errors name the file, the
 * record id and the field, so a curator can fix the data without reading code.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { z } from "zod";
import { normalizeName } from "./normalize.ts";
import {
  EntitiesFile,
  type Entity,
  type Fact,
  FactsFile,
  type Reference,
  ReferencesFile,
  StudiesFile,
  type Study,
} from "./schema.ts";
import { crossCheck, type Issue } from "./validate.ts";

export interface KnowledgeBase {
  dataDir: string;
  references: Reference[];
  entities: Entity[];
  studies: Study[];
  facts: Fact[];
  referenceById: ReadonlyMap<string, Reference>;
  entityById: ReadonlyMap<string, Entity>;
  studyById: ReadonlyMap<string, Study>;
  /** normalized id, name, alias, HGNC symbol or miRBase name → entity */
  entityIndex: ReadonlyMap<string, Entity>;
}

export const DATA_FILES = {
  references: "references.yaml",
  entities: "entities.yaml",
  studies: "studies.yaml",
  facts: "facts.yaml",
} as const;

/** <repo>/data, found from this module's location so the cwd does not matter. */
export const DEFAULT_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../data");

export class KnowledgeBaseError extends Error {
  constructor(readonly issues: Issue[]) {
    const shown = issues
      .slice(0, 30)
      .map((i) => `  ${i.file}: ${i.id ? `${i.id}: ` : ""}${i.field}: ${i.message}`);
    if (issues.length > 30) shown.push(`  … ${issues.length - 30} more`);
    super(
      `knowledge base is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${shown.join("\n")}`,
    );
    this.name = "KnowledgeBaseError";
  }
}

const cache = new Map<string, KnowledgeBase>();

/** Load, validate and index the knowledge base. Sync and cached per directory. */
export function loadKnowledgeBase(dataDir: string = DEFAULT_DATA_DIR): KnowledgeBase {
  const dir = resolve(dataDir);
  const hit = cache.get(dir);
  if (hit) return hit;
  const issues: Issue[] = [];
  const references = readFile(dir, DATA_FILES.references, ReferencesFile, issues);
  const entities = readFile(dir, DATA_FILES.entities, EntitiesFile, issues);
  const studies = readFile(dir, DATA_FILES.studies, StudiesFile, issues);
  const facts = readFile(dir, DATA_FILES.facts, FactsFile, issues);
  if (issues.length > 0) throw new KnowledgeBaseError(issues);
  issues.push(...crossCheck({ references, entities, studies, facts }));
  if (issues.length > 0) throw new KnowledgeBaseError(issues);
  const kb: KnowledgeBase = {
    dataDir: dir,
    references,
    entities,
    studies,
    facts,
    referenceById: new Map(references.map((r) => [r.id, r])),
    entityById: new Map(entities.map((e) => [e.id, e])),
    studyById: new Map(studies.map((s) => [s.id, s])),
    entityIndex: buildEntityIndex(entities),
  };
  cache.set(dir, kb);
  return kb;
}

/** Every name an entity answers to; crossCheck guarantees they are unambiguous. */
export function entityNames(e: Entity): string[] {
  return [
    ...new Set([e.id, e.name, ...e.aliases, ...(e.hgnc ? [e.hgnc] : []), ...(e.mirbase ? [e.mirbase] : [])]),
  ];
}

function buildEntityIndex(entities: Entity[]): Map<string, Entity> {
  const index = new Map<string, Entity>();
  for (const e of entities) for (const n of entityNames(e)) index.set(normalizeName(n), e);
  return index;
}

function readFile<S extends z.ZodType>(dir: string, file: string, schema: S, issues: Issue[]): z.infer<S> {
  const path = join(dir, file);
  if (!existsSync(path)) {
    issues.push({ file, field: "(file)", message: `missing: ${path}` });
    return [] as z.infer<S>;
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"));
  } catch (err) {
    issues.push({ file, field: "(yaml)", message: (err as Error).message });
    return [] as z.infer<S>;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const [index, ...rest] = issue.path;
    const record = Array.isArray(raw) && typeof index === "number" ? raw[index] : undefined;
    const id =
      record && typeof record === "object" && "id" in record ? String(record.id) : `#${String(index)}`;
    issues.push({ file, id, field: rest.join(".") || "(record)", message: issue.message });
  }
  return [] as z.infer<S>;
}
