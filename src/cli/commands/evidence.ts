import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatSummary, formatTable, STUDY_HEADERS, studyRow } from "../../evidence/format.ts";
import {
  buildEvidenceGraph,
  entityNames,
  GRAPH_FORMATS,
  type GraphFormat,
  loadKnowledgeBase,
  queryStudies,
  resolveEntity,
  type Study,
  type StudyFilters,
  studyReferenceKeys,
  summarize,
  toCsv,
  toCytoscape,
  toGraphML,
} from "../../evidence/index.ts";
import { referenceRowCounts } from "../../evidence/summary.ts";
import { InputError } from "../errors.ts";

interface ListOptions extends Omit<StudyFilters, "table"> {
  table?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const evidence = program
    .command("evidence")
    .description("query the review's evidence knowledge base (Tables 1-2, references, entities, facts)");

  evidence
    .command("list")
    .description(
      "list study rows of Tables 1 and 2, filtered (names, aliases, HGNC/miRBase symbols accepted)",
    )
    .option("--cargo <name>", "cargo or engineering, e.g. miR-23a-3p, hsa-miR-23a-3p, MIF, native")
    .option("--target <name>", "target molecule, e.g. DMT1, MAPK10, Bcl-2")
    .option("--pathway <name>", "pathway or hub, e.g. PI3K/AKT, NLRP3 inflammasome, NF-kB")
    .option("--effect <name>", "process, readout or Figure 2 effect, e.g. pyroptosis, lvef, immunomodulation")
    .option(
      "--route <name>",
      "route or carrier (id, alias or part of a name), e.g. intravenous, microneedle, patch",
    )
    .option("--species <name>", "rat, mouse, rabbit, guinea_pig, human")
    .option("--model <name>", "injury model, e.g. ami_ligation, I/R, CHF, H/R, transplant")
    .option("--reference <key>", 'reference key, e.g. "Song et al., 2021" or "Song"')
    .option("--search <text>", "free text; every word must occur in the row")
    .option("--table <n>", "1 or 2")
    .option("--json", "print JSON (full study records) instead of a table")
    .action((opts: ListOptions) => {
      const kb = loadKnowledgeBase();
      const { json, table, ...filters } = opts;
      if (table !== undefined && table !== "1" && table !== "2")
        throw new InputError("table", table, ["1", "2"]);
      const studies = queryStudies(kb, { ...filters, table: table ? (Number(table) as 1 | 2) : undefined });
      if (json) {
        console.log(JSON.stringify(studies, null, 2));
        return;
      }
      console.log(
        formatTable(
          STUDY_HEADERS,
          studies.map((s) => studyRow(kb, s)),
          38,
        ),
      );
      console.log(`\n${studies.length} of ${kb.studies.length} study rows`);
    });

  evidence
    .command("show")
    .description("show one study row: verbatim cells, normalized fields, claims, references")
    .argument("<id>", "study id, e.g. T1-18 or T2-05")
    .option("--json", "print JSON")
    .action((id: string, opts: { json?: boolean }) => {
      const kb = loadKnowledgeBase();
      const study = kb.studyById.get(id.toUpperCase());
      if (!study) throw new InputError("id", id, [...kb.studyById.keys()]);
      if (opts.json) console.log(JSON.stringify(study, null, 2));
      else console.log(formatStudy(study));
    });

  evidence
    .command("refs")
    .description("list the references the review cites, with the sections, tables and study rows citing each")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const kb = loadKnowledgeBase();
      const rows = referenceRowCounts(kb);
      if (opts.json) {
        console.log(
          JSON.stringify(
            kb.references.map((r) => ({ ...r, studies: rows.get(r.id) ?? [] })),
            null,
            2,
          ),
        );
        return;
      }
      const table = kb.references.map((r) => [
        r.id,
        r.sections.join(", "),
        r.tables.join(", "),
        (rows.get(r.id) ?? []).join(", "),
        r.alias_of ? `= ${r.alias_of}` : "",
      ]);
      console.log(formatTable(["Reference", "Sections", "Tables", "Study rows", "Same work as"], table, 48));
      console.log(`\n${kb.references.length} references`);
    });

  evidence
    .command("summary")
    .description("counts by effect, route, species and model, and the cargo × effect matrix")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const kb = loadKnowledgeBase();
      const sum = summarize(kb);
      console.log(opts.json ? JSON.stringify(sum, null, 2) : formatSummary(kb, sum));
    });

  evidence
    .command("graph")
    .description("the cargo → target → pathway → effect → outcome graph the studies imply (Figure 2 as data)")
    .option("--format <format>", `one of ${GRAPH_FORMATS.join(", ")}`, "cytoscape")
    .option("--output <file>", "write to a file instead of stdout")
    .action((opts: { format: string; output?: string }) => {
      if (!(GRAPH_FORMATS as readonly string[]).includes(opts.format)) {
        throw new InputError("format", opts.format, GRAPH_FORMATS);
      }
      const graph = buildEvidenceGraph(loadKnowledgeBase());
      const format = opts.format as GraphFormat;
      const text =
        format === "cytoscape"
          ? `${JSON.stringify(toCytoscape(graph), null, 2)}\n`
          : format === "graphml"
            ? toGraphML(graph)
            : toCsv(graph);
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });

  evidence
    .command("entity")
    .description("resolve a name or alias to its entity (e.g. MAPK10, NF-kB, hsa-miR-23a-3p)")
    .argument("<name>", "name, alias, HGNC symbol or miRBase name")
    .option("--json", "print JSON")
    .action((name: string, opts: { json?: boolean }) => {
      const kb = loadKnowledgeBase();
      const e = resolveEntity(name, kb);
      if (!e)
        throw new InputError(
          "entity",
          name,
          kb.entities.map((x) => x.name),
        );
      if (opts.json) {
        console.log(JSON.stringify(e, null, 2));
        return;
      }
      const used = kb.studies.filter((s) =>
        [...s.cargo, ...s.engineering, ...s.targets, ...s.pathways, ...s.effects, ...s.routes, ...s.materials]
          .concat(s.claims.map((c) => c.readout))
          .includes(e.id),
      );
      console.log(`${e.name}  [${e.id}, ${e.type}]`);
      console.log(`  names: ${entityNames(e).join(", ")}`);
      if (e.members) console.log(`  members: ${e.members.join(", ")}`);
      if (e.effect_category) console.log(`  Figure 2 effect: ${e.effect_category}`);
      if (e.route_class) console.log(`  route class: ${e.route_class}`);
      if (e.note) console.log(`  note: ${e.note}`);
      console.log(`  studies: ${used.map((s) => s.id).join(", ") || "none"}`);
    });
}

function formatStudy(s: Study): string {
  const lines = [`${s.id}  (Table ${s.table}, row ${s.row}${s.category ? `, ${s.category}` : ""})`];
  lines.push(`reference: ${studyReferenceKeys(s).join("; ")}`, "", "cells (verbatim):");
  for (const [k, v] of Object.entries(s.cells)) lines.push(`  ${k.padEnd(12)} ${v}`);
  lines.push("", "normalized:");
  const fields: [string, string[]][] = [
    ["cargo", s.cargo],
    ["engineering", s.engineering],
    ["targets", s.targets],
    ["pathways", s.pathways],
    ["effects", s.effects],
    ["categories", s.effect_categories],
    ["routes", s.routes],
    ["materials", s.materials],
    ["species", s.species],
    ["models", s.models],
    ["setting", [s.setting]],
    ["linked", s.linked_studies],
  ];
  for (const [k, v] of fields) if (v.length > 0) lines.push(`  ${k.padEnd(12)} ${v.join(", ")}`);
  lines.push("", "claims:");
  const arrow = { increase: "↑", decrease: "↓", "no-change": "=" } as const;
  for (const c of s.claims) {
    const mag = c.magnitude
      ? ` (${c.magnitude.approximate ? "~" : ""}${c.magnitude.value} ${c.magnitude.unit})`
      : "";
    const where = c.cell_or_tissue ? ` in ${c.cell_or_tissue}` : "";
    lines.push(
      `  ${c.readout} ${arrow[c.direction]}${mag} ${c.comparison}${where}  — "${c.text}" [${c.source}]`,
    );
  }
  if (s.note) lines.push("", `note: ${s.note}`);
  return lines.join("\n");
}
