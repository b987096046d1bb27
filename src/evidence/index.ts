/**
 * # Evidence knowledge base
 *
 * The review's evidence as validated data: Ding N, Zheng Z and Zhang C (2025), "Therapeutic
 * potential of human umbilical cord mesenchymal stem cell-derived exosomes in myocardial
 * infarction", Front. Pharmacol. 16:1667140 (the seed text in ../shared/seed/).
 *
 * ## Data files (data/, YAML)
 * - `references.yaml` — the 83 citation keys of the review, spelled exactly as the review cites them
 *   ("Huang L. et al., 2020"; "Zhang et al., 2024a" and "2024b" are separate keys), with first
 *   author, year, and the sections and tables that cite each, all extracted from the seed. The
 *   seed has no reference list, so there are no titles, journals or DOIs. The two Table 2 keys
 *   "Zhang et al., 2024a/b" carry `alias_of` the text's "Zhang J./Z. et al., 2024", inferred from
 *   the matching rows (noted on each).
 * - `studies.yaml` — the 29 rows of Table 1 (`T1-01`…`T1-29`) and the 17 data rows of Table 2
 *   (`T2-01`…`T2-17`; its group headings are the `category` field). `cells` holds each cell
 *   verbatim (checked against the seed by test/evidence). The normalized fields (cargo,
 *   engineering, targets, pathways, effects, effect_categories, routes, materials, species, models,
 *   setting) and the structured `claims` are curation: read from the row and, where a claim says
 *   `source: "§6.1"`, from that section's text about the same study. Table 2 rows name no species
 *   or model; theirs are copied from the linked Table 1 rows (`linked_studies`).
 * - `entities.yaml` — every molecule, pathway, process, effect, outcome, cell type, route, carrier
 *   and material the review names, with aliases. Ids: molecules in uppercase (`MIR23A_3P`, `JNK3`,
 *   `NFKB`, `ALPHA_SMA`, peptides `CP05`); everything else in lower snake_case (`ferroptosis`,
 *   `lvef`, `intravenous`, `gelma`). Every readout id in `READOUTS` is an entity id. HGNC symbols
 *   (`hgnc`) and miRBase names (`mirbase`) are given only where the review's name maps to one gene
 *   or one mature miRNA without doubt; families (SOD, HSP70, NF-κB, AKT) have none.
 * - `facts.yaml` — the review's quantitative statements, verbatim, with a structured value, unit,
 *   section and the references the review gives for each.
 *
 * ## Checks
 * `loadKnowledgeBase()` parses each file with its zod schema (`schema.ts`), then `validate.ts`
 * checks across files: duplicate ids, unknown entity/reference/study ids, studies without a
 * reference or whose reference differs from their verbatim cell, dangling `alias_of`, dangling
 * pathway members, ambiguous aliases (two entities answering to one normalized name), and that
 * every readout has an entity. Errors name file, record id and field.
 *
 * ## Names
 * Lookups ignore case, spacing, punctuation and Greek letters (κ→k, β→beta, α→alpha), so "NF-κB",
 * "NF-kB" and "NFKB" meet; `resolveEntity("MAPK10")` is JNK3, `resolveEntity("hsa-miR-23a-3p")` is
 * miR-23a-3p.
 */
export {
  buildEvidenceGraph,
  type EvidenceGraph,
  GRAPH_FORMATS,
  type GraphFormat,
  toCsv,
  toCytoscape,
  toGraphML,
} from "./graph.ts";
export {
  DEFAULT_DATA_DIR,
  entityNames,
  type KnowledgeBase,
  KnowledgeBaseError,
  loadKnowledgeBase,
} from "./load.ts";
export { normalizeName } from "./normalize.ts";
export { FILTER_FIELDS, type FilterField, queryStudies, type StudyFilters } from "./query.ts";
export { resolveEntity, resolveReference, sameWork } from "./resolve.ts";
export type { Claim, Entity, Fact, Reference, Study } from "./schema.ts";
export { type EvidenceSummary, summarize } from "./summary.ts";
export { studyReferenceKeys } from "./validate.ts";
export {
  COMPARISONS,
  DIRECTIONS,
  ENTITY_TYPES,
  type EntityType,
  INJURY_MODEL_IDS,
  INJURY_MODELS,
  type InjuryModel,
  READOUTS,
  type Readout,
  SPECIES,
  SPECIES_IDS,
  type Species,
} from "./vocabulary.ts";
