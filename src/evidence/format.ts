/** Plain-text rendering for people: aligned tables and the summary report. */
import type { KnowledgeBase } from "./load.ts";
import type { Study } from "./schema.ts";
import type { EvidenceSummary } from "./summary.ts";
import { studyReferenceKeys } from "./validate.ts";
import { INJURY_MODELS } from "./vocabulary.ts";

/** Columns padded to their widest cell, each cut to `maxWidth` with an ellipsis. */
export function formatTable(headers: string[], rows: string[][], maxWidth = 40): string {
  const cut = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = [headers, ...rows].map((r) => r.map(cut));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(cells[0]), widths.map((w) => "─".repeat(w)).join("  "), ...cells.slice(1).map(line)].join(
    "\n",
  );
}

export function studyRow(kb: KnowledgeBase, s: Study): string[] {
  const name = (id: string) => kb.entityById.get(id)?.name ?? id;
  const cargo = s.table === 1 ? s.cells.cargo : s.cells.strategy;
  const route = s.table === 1 ? s.cells.route : s.cells.carrier;
  const model = s.models.map((m) => INJURY_MODELS[m].aliases[0] ?? m).join(", ");
  return [
    s.id,
    cargo,
    route,
    s.species.join(", "),
    model,
    s.effects.map(name).join(", "),
    studyReferenceKeys(s).join("; "),
  ];
}

export const STUDY_HEADERS = [
  "ID",
  "Cargo / strategy",
  "Route / carrier",
  "Species",
  "Model",
  "Effects",
  "Reference",
];

const EFFECT_SHORT: Record<string, string> = {
  anti_apoptotic_effects: "apopt",
  angiogenesis_vascular_regeneration: "angio",
  immunomodulation: "immuno",
  anti_fibrotic_effects: "fibro",
  oxidative_stress_regulation: "oxid",
  cardiomyocyte_regeneration: "regen",
  cell_rejuvenation: "rejuv",
};

export function formatSummary(kb: KnowledgeBase, sum: EvidenceSummary): string {
  const t = sum.totals;
  const name = (id: string) => kb.entityById.get(id)?.name ?? id;
  const counts = (title: string, list: { label: string; studies: number }[]) =>
    `${title}\n${list.map((c) => `  ${String(c.studies).padStart(3)}  ${c.label}`).join("\n")}`;
  const m = sum.cargoByEffect;
  const matrix = formatTable(
    ["Cargo", ...m.effects.map((e) => EFFECT_SHORT[e] ?? e)],
    m.cargo.map((c, i) => [name(c), ...m.counts[i].map((n) => (n === 0 ? "·" : String(n)))]),
  );
  const legend = m.effects.map((e) => `${EFFECT_SHORT[e] ?? e} = ${name(e)}`).join("; ");
  return [
    "ExoMI evidence knowledge base — Ding, Zheng and Zhang (2025), Front. Pharmacol. 16:1667140",
    `${t.studies} study rows (Table 1: ${t.table1}, Table 2: ${t.table2}), ${t.claims} structured claims, ` +
      `${t.references} references, ${t.entities} entities, ${t.facts} quantitative facts`,
    "",
    counts("Studies by therapeutic effect (Figure 2)", sum.byEffectCategory),
    "",
    counts("Studies by process", sum.byEffect),
    "",
    counts("Studies by route / carrier", sum.byRoute),
    "",
    counts("Studies by species", sum.bySpecies),
    "",
    counts("Studies by injury model", sum.byModel),
    "",
    "Cargo × therapeutic effect (number of study rows)",
    matrix,
    `(${legend})`,
  ].join("\n");
}
