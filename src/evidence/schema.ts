/**
 * zod schemas for the four data files; the TypeScript types are inferred from them so the data,
 * the API and the code cannot drift apart. Cross-file checks (unknown ids, duplicates, aliases)
 * live in `validate.ts`, because a schema sees one record at a time.
 */
import { z } from "zod";
import {
  COMPARISONS,
  DIRECTIONS,
  ENTITY_TYPES,
  INJURY_MODEL_IDS,
  READOUTS,
  ROUTE_CLASSES,
  SETTINGS,
  SPECIES_IDS,
} from "./vocabulary.ts";

const nonEmpty = z.string().trim().min(1);

/** A citation key exactly as the review writes it in its body text: "Huang L. et al., 2020". */
export const ReferenceKey = z
  .string()
  .regex(/^\S.*, \d{4}[a-z]?$/, 'expected "Author et al., 2020" or "Author and Author, 2020"');

export const ReferenceSchema = z.strictObject({
  id: ReferenceKey,
  first_author: nonEmpty,
  year: z.number().int().min(1900).max(2100),
  /** sections of the review whose text cites this key, e.g. "4.1" */
  sections: z.array(nonEmpty),
  /** tables whose reference column cites this key */
  tables: z.array(z.enum(["Table 1", "Table 2"])),
  /**
   * Another key of the review for the same work: Table 2 cites "Zhang et al., 2024a/b" where the
   * text and Table 1 cite "Zhang J./Z. et al., 2024". The link is inferred from the matching rows.
   */
  alias_of: ReferenceKey.optional(),
  note: z.string().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

export const EntitySchema = z.strictObject({
  /** molecules: uppercase (MIR23A_3P, JNK3, NFKB); everything else: lower snake_case (ferroptosis) */
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "letters, digits and underscores, letter first"),
  /** the name as the review writes it */
  name: nonEmpty,
  type: z.enum(ENTITY_TYPES),
  aliases: z.array(nonEmpty).default([]),
  /** official symbol when the entity is one human gene (HGNC) */
  hgnc: z.string().optional(),
  /** miRBase mature name */
  mirbase: z.string().optional(),
  /** pathways and complexes: the molecules the review places in them */
  members: z.array(z.string()).optional(),
  /** processes: the Figure 2 therapeutic effect they belong to */
  effect_category: z.string().optional(),
  /** routes: how the route places exosomes */
  route_class: z.enum(ROUTE_CLASSES).optional(),
  /** review sections that name the entity */
  sections: z.array(nonEmpty).optional(),
  note: z.string().optional(),
});
export type Entity = z.infer<typeof EntitySchema>;
export type EntityInput = z.input<typeof EntitySchema>;

export const MagnitudeSchema = z.strictObject({
  value: z.number(),
  unit: z.enum(["fold", "percent"]),
  approximate: z.boolean().default(false),
});

export const ClaimSchema = z.strictObject({
  id: nonEmpty,
  readout: z.enum(READOUTS),
  direction: z.enum(DIRECTIONS),
  comparison: z.enum(COMPARISONS),
  cell_or_tissue: z.string().optional(),
  /** the wording the claim was read from */
  text: nonEmpty,
  /** where the wording is: the table row ("table") or a section of the review ("§6.1") */
  source: z.string().default("table"),
  magnitude: MagnitudeSchema.optional(),
  /** days after injury or treatment, when the review gives it */
  time_days: z.number().optional(),
});
export type Claim = z.infer<typeof ClaimSchema>;

const Table1Cells = z.strictObject({
  cargo: z.string(),
  mechanism: z.string(),
  outcomes: z.string(),
  route: z.string(),
  model: z.string(),
  finding: z.string(),
  references: z.string(),
});
const Table2Cells = z.strictObject({
  strategy: z.string(),
  modification: z.string(),
  advantages: z.string(),
  outcomes: z.string(),
  carrier: z.string(),
  references: z.string(),
});
/** Column order of each table in the review, for the verbatim check against the seed. */
export const TABLE_COLUMNS = {
  1: ["cargo", "mechanism", "outcomes", "route", "model", "finding", "references"],
  2: ["strategy", "modification", "advantages", "outcomes", "carrier", "references"],
} as const;

const studyFields = {
  id: z.string().regex(/^T[12]-\d{2}$/, "T1-01 … T1-29 or T2-01 … T2-17"),
  row: z.number().int().positive(),
  /** Table 2 group heading ("Genetic engineering", …); absent for Table 1 */
  category: z.string().optional(),
  reference: ReferenceKey.optional(),
  references: z.array(ReferenceKey).optional(),
  /** what the exosomes carry (empty for rows about a carrier or a general strategy) */
  cargo: z.array(z.string()).default([]),
  /** how the exosomes or their parent cells were engineered */
  engineering: z.array(z.string()).default([]),
  /** molecules the mechanism cell names (targets, effectors) */
  targets: z.array(z.string()).default([]),
  pathways: z.array(z.string()).default([]),
  /** processes (readout ids of type process) the row reports */
  effects: z.array(z.string()).default([]),
  /** Figure 2 effect categories */
  effect_categories: z.array(z.string()).default([]),
  routes: z.array(z.string()).min(1),
  materials: z.array(z.string()).default([]),
  species: z.array(z.enum(SPECIES_IDS)).default([]),
  models: z.array(z.enum(INJURY_MODEL_IDS)).default([]),
  setting: z.enum(SETTINGS),
  /** the same experiment in the other table (Table 2 rows name no species or model) */
  linked_studies: z.array(z.string()).default([]),
  claims: z.array(ClaimSchema).min(1),
  note: z.string().optional(),
};

export const StudySchema = z.discriminatedUnion("table", [
  z.strictObject({ table: z.literal(1), cells: Table1Cells, ...studyFields }),
  z.strictObject({ table: z.literal(2), cells: Table2Cells, ...studyFields }),
]);
export type Study = z.infer<typeof StudySchema>;

const Value = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("range"), min: z.number(), max: z.number() }),
  z.strictObject({ kind: z.literal("bound"), op: z.enum([">", "<", ">=", "<="]), value: z.number() }),
  z.strictObject({ kind: z.literal("point"), value: z.number(), approximate: z.boolean().default(false) }),
]);

export const FactSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** the review's sentence or clause, verbatim */
  statement: nonEmpty,
  quantity: nonEmpty,
  value: Value,
  unit: nonEmpty,
  section: nonEmpty,
  /** reference keys the review gives for the statement; empty when it gives none */
  references: z.array(ReferenceKey),
  /** study ids the fact belongs to, when it reports one study's result */
  studies: z.array(z.string()).default([]),
  note: z.string().optional(),
});
export type Fact = z.infer<typeof FactSchema>;

export const ReferencesFile = z.array(ReferenceSchema);
export const EntitiesFile = z.array(EntitySchema);
export const StudiesFile = z.array(StudySchema);
export const FactsFile = z.array(FactSchema);
