import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import XLSX from "xlsx";
import { evidenceFromText, evidenceToText } from "./evidence-text.ts";
import { NETFLUX_DEFAULTS, type NetworkModel, type Reaction, type Species } from "./model.ts";
import { formatRule, parseRule, RuleSyntaxError } from "./rules.ts";
import { type ModelProblem, validateModel } from "./validate.ts";

/**
 * Netflux spreadsheets (.xlsx and legacy .xls) in and out. Layout as read by Netflux's
 * `xls2Netflux.m`: sheets `species` and `reactions`, row 1 a title, row 2 headers, data from row 3;
 * species ID/name/Yinit/Ymax/tau in columns B–F, reaction ID/Rule/Weight/n/EC50 in B–F.
 * The published files vary (lower-case headers, extra reference columns, rows carrying only notes,
 * IDs with trailing spaces, `+` between reactants): columns are found by header when present,
 * by Netflux's fixed positions otherwise; unknown columns are kept verbatim in `extra`.
 * Missing parameters get Netflux's defaults, as `getNetfluxParams.m` does, with a warning.
 */

export interface NetfluxImport {
  model: NetworkModel;
  /** things repaired on the way in (defaults filled, ids trimmed, `+` read as AND) */
  warnings: string[];
  /** things that make the model invalid (unknown species, bad parameters, unparsable rules) */
  problems: ModelProblem[];
}

type Cell = string | number | boolean | null;

const SPECIES_FIELDS: Record<string, string> = {
  module: "module",
  id: "id",
  name: "name",
  yinit: "yinit",
  y0: "yinit",
  ymax: "ymax",
  tau: "tau",
  type: "type",
  location: "location",
  notes: "notes",
  aliases: "aliases",
  readout: "readout",
  evidence: "evidence",
};
const SPECIES_POSITIONS: Record<string, number> = { module: 0, id: 1, name: 2, yinit: 3, ymax: 4, tau: 5 };
const REACTION_FIELDS: Record<string, string> = {
  module: "module",
  id: "id",
  rule: "rule",
  weight: "W",
  w: "W",
  n: "n",
  ec50: "EC50",
  location: "location",
  notes: "notes",
  evidence: "evidence",
};
const REACTION_POSITIONS: Record<string, number> = { module: 0, id: 1, rule: 2, W: 3, n: 4, EC50: 5 };

export function importNetfluxFile(path: string): NetfluxImport {
  return readNetfluxWorkbook(readFileSync(path), basename(path, extname(path)));
}

export function readNetfluxWorkbook(data: Uint8Array, name: string): NetfluxImport {
  const wb = XLSX.read(data, { type: "buffer" });
  const warnings: string[] = [];
  const sheet = (wanted: string) => {
    const found = wb.SheetNames.find((s) => s.trim().toLowerCase() === wanted);
    if (!found) throw new Error(`${name}: no sheet "${wanted}" (sheets: ${wb.SheetNames.join(", ")})`);
    return XLSX.utils.sheet_to_json<Cell[]>(wb.Sheets[found], {
      range: usedRange(wb.Sheets[found]),
      header: 1,
      defval: null,
      raw: true,
      blankrows: true,
    });
  };
  const species = readSpecies(sheet("species"), warnings);
  const { reactions, problems } = readReactions(sheet("reactions"), warnings);
  const model: NetworkModel = { name, species, reactions };
  problems.push(...validateModel(model));
  return { model, warnings, problems };
}

/**
 * The range that holds cells. Some files declare a far larger one (Tan 2017: A1:XFC96, 16k columns),
 * which would make every row an array of 16k nulls.
 */
function usedRange(ws: XLSX.WorkSheet): string {
  let maxR = 0;
  let maxC = 0;
  for (const key of Object.keys(ws)) {
    if (key.startsWith("!")) continue;
    const { r, c } = XLSX.utils.decode_cell(key);
    if (r > maxR) maxR = r;
    if (c > maxC) maxC = c;
  }
  return XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: maxR, c: maxC } });
}

interface Table {
  /** field → column index */
  columns: Map<string, number>;
  /** extra column index → header key */
  extras: Map<number, string>;
  dataStart: number;
}

function locateColumns(
  rows: Cell[][],
  fields: Record<string, string>,
  positions: Record<string, number>,
): Table {
  const headerRow = rows.slice(0, 5).findIndex((r) => r.some((c) => text(c)?.toLowerCase() === "id"));
  const columns = new Map<string, number>();
  const extras = new Map<number, string>();
  if (headerRow < 0) {
    for (const [field, col] of Object.entries(positions)) columns.set(field, col);
    return { columns, extras, dataStart: 2 };
  }
  const used = new Set<string>();
  rows[headerRow].forEach((c, col) => {
    const header = text(c);
    if (header === undefined) return;
    const field = fields[header.toLowerCase().replace(/\s+/g, " ")];
    if (field !== undefined && !columns.has(field)) columns.set(field, col);
    else {
      let key = header;
      for (let k = 2; used.has(key); k++) key = `${header} (${k})`;
      used.add(key);
      extras.set(col, key);
    }
  });
  for (const [field, col] of Object.entries(positions)) if (!columns.has(field)) columns.set(field, col);
  return { columns, extras, dataStart: headerRow + 1 };
}

function readSpecies(rows: Cell[][], warnings: string[]): Species[] {
  const table = locateColumns(rows, SPECIES_FIELDS, SPECIES_POSITIONS);
  const out: Species[] = [];
  for (let r = table.dataStart; r < rows.length; r++) {
    const row = rows[r];
    const get = (f: string) => cellAt(row, table.columns.get(f));
    const rawId = text(get("id"));
    if (rawId === undefined) continue; // blank rows, as in xls2Netflux
    const id = rawId.trim();
    if (id !== rawId) warnings.push(`species row ${r + 1}: id "${rawId}" trimmed to "${id}"`);
    const num = (field: "yinit" | "ymax" | "tau") =>
      numberOr(get(field), NETFLUX_DEFAULTS[field], () => `species ${id} (row ${r + 1}) ${field}`, warnings);
    const s: Species = {
      id,
      name: text(get("name"))?.trim() ?? id,
      yinit: num("yinit"),
      ymax: num("ymax"),
      tau: num("tau"),
    };
    assignText(s, "module", get("module"));
    assignText(s, "type", get("type"));
    assignText(s, "location", get("location"));
    assignText(s, "notes", get("notes"));
    assignText(s, "readout", get("readout"));
    const aliases = text(get("aliases"));
    if (aliases)
      s.aliases = aliases
        .split(/[,;]/)
        .map((a) => a.trim())
        .filter(Boolean);
    const evidence = text(get("evidence"));
    if (evidence) s.evidence = evidenceFromText(evidence);
    const extra = readExtras(row, table.extras);
    if (extra) s.extra = extra;
    out.push(s);
  }
  return out;
}

function readReactions(
  rows: Cell[][],
  warnings: string[],
): { reactions: Reaction[]; problems: ModelProblem[] } {
  const table = locateColumns(rows, REACTION_FIELDS, REACTION_POSITIONS);
  const reactions: Reaction[] = [];
  const problems: ModelProblem[] = [];
  const ids = new Set<string>();
  const pending: { row: number; reaction: Reaction }[] = [];
  let plusRules = 0;
  for (let r = table.dataStart; r < rows.length; r++) {
    const row = rows[r];
    const get = (f: string) => cellAt(row, table.columns.get(f));
    const rule = text(get("rule"))?.trim();
    if (!rule) continue; // rows holding only notes or references for the row above, as in xls2Netflux
    const id = text(get("id"))?.trim() ?? "";
    let parsed: ReturnType<typeof parseRule>;
    try {
      parsed = parseRule(rule, "netflux");
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      problems.push({
        where: `reaction ${id || `row ${r + 1}`} (${rule})`,
        field: "rule",
        message: err.message,
      });
      continue;
    }
    if (rule.includes("+")) plusRules++;
    const what = () => `reaction ${id || `row ${r + 1}`} (${rule})`;
    const reaction: Reaction = {
      id,
      rule: formatRule(parsed.reactants, parsed.product),
      reactants: parsed.reactants,
      product: parsed.product,
      W: numberOr(get("W"), NETFLUX_DEFAULTS.W, () => `${what()} W`, warnings),
      n: numberOr(get("n"), NETFLUX_DEFAULTS.n, () => `${what()} n`, warnings),
      EC50: numberOr(get("EC50"), NETFLUX_DEFAULTS.EC50, () => `${what()} EC50`, warnings),
    };
    assignText(reaction, "module", get("module"));
    assignText(reaction, "location", get("location"));
    assignText(reaction, "notes", get("notes"));
    const evidence = text(get("evidence"));
    if (evidence) reaction.evidence = evidenceFromText(evidence);
    const extra = readExtras(row, table.extras);
    if (extra) reaction.extra = extra;
    if (id) ids.add(id);
    pending.push({ row: r, reaction });
  }
  // rules without an id are kept (as Netflux does) and given one that is not taken
  for (const { row, reaction } of pending) {
    if (reaction.id === "") {
      let candidate = `r${row + 1}`;
      for (let k = 2; ids.has(candidate); k++) candidate = `r${row + 1}_${k}`;
      ids.add(candidate);
      reaction.id = candidate;
      warnings.push(`reaction in row ${row + 1} (${reaction.rule}) has no id; named ${candidate}`);
    }
    reactions.push(reaction);
  }
  if (plusRules > 0) {
    warnings.push(`${plusRules} rule(s) use "+" between reactants: read as AND, as Netflux does`);
  }
  return { reactions, problems };
}

function cellAt(row: Cell[], col: number | undefined): Cell {
  return col === undefined ? null : (row[col] ?? null);
}

function text(c: Cell | undefined): string | undefined {
  if (c === null || c === undefined) return undefined;
  const s = String(c);
  return s.trim() === "" ? undefined : s;
}

function assignText<T extends object>(target: T, key: keyof T & string, c: Cell): void {
  const s = text(c)?.trim();
  if (s !== undefined) (target as Record<string, unknown>)[key] = s;
}

/** numbers, numeric strings ("1.4", " 0.5 "), or the default with a warning */
function numberOr(c: Cell, fallback: number, what: () => string, warnings: string[]): number {
  if (typeof c === "number" && Number.isFinite(c)) return c;
  const s = text(c)?.trim();
  if (s !== undefined) {
    const v = Number(s);
    if (Number.isFinite(v)) return v;
    warnings.push(`${what()}: "${s}" is not a number; default ${fallback} used`);
    return fallback;
  }
  warnings.push(`${what()}: missing; default ${fallback} used`);
  return fallback;
}

function readExtras(row: Cell[], extras: Map<number, string>): Record<string, string | number> | undefined {
  const out: Record<string, string | number> = {};
  let any = false;
  for (const [col, key] of extras) {
    const c = row[col];
    if (c === null || c === undefined || (typeof c === "string" && c.trim() === "")) continue;
    out[key] = typeof c === "number" ? c : String(c);
    any = true;
  }
  return any ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// export

const SPECIES_HEADERS = ["module", "ID", "name", "Yinit", "Ymax", "tau", "type", "location", "ref", "notes"];
const REACTION_HEADERS = ["module", "ID", "Rule", "Weight", "n", "EC50", "location"];

/** The model as a Netflux workbook (Netflux reads it; rules are written in plain Netflux syntax). */
export function netfluxWorkbook(model: NetworkModel): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();

  const sExtraKeys = extraKeys(model.species, ["ref"]);
  const sOptional = [
    ["aliases", model.species.some((s) => s.aliases?.length)],
    ["readout", model.species.some((s) => s.readout)],
    ["evidence", model.species.some((s) => s.evidence?.length)],
  ] as const;
  const sHeaders = [...SPECIES_HEADERS, ...sOptional.filter(([, on]) => on).map(([h]) => h), ...sExtraKeys];
  const speciesRows: Cell[][] = [["Species information"], sHeaders];
  for (const s of model.species) {
    const row: Cell[] = [
      s.module ?? null,
      s.id,
      s.name,
      s.yinit,
      s.ymax,
      s.tau,
      s.type ?? null,
      s.location ?? null,
    ];
    row.push(s.extra?.ref ?? null, s.notes ?? null);
    if (sOptional[0][1]) row.push(s.aliases?.join(", ") || null);
    if (sOptional[1][1]) row.push(s.readout ?? null);
    if (sOptional[2][1]) row.push(s.evidence?.length ? evidenceToText(s.evidence) : null);
    for (const k of sExtraKeys) row.push(s.extra?.[k] ?? null);
    speciesRows.push(row);
  }
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(speciesRows), "species");

  const rExtraKeys = extraKeys(model.reactions, []);
  const withEvidence = model.reactions.some((r) => r.evidence?.length);
  const rHeaders = [...REACTION_HEADERS, ...(withEvidence ? ["evidence"] : []), ...rExtraKeys, "notes"];
  const reactionRows: Cell[][] = [["Reaction Information"], rHeaders];
  for (const r of model.reactions) {
    const row: Cell[] = [
      r.module ?? null,
      r.id,
      formatRule(r.reactants, r.product),
      r.W,
      r.n,
      r.EC50,
      r.location ?? null,
    ];
    if (withEvidence) row.push(r.evidence?.length ? evidenceToText(r.evidence) : null);
    for (const k of rExtraKeys) row.push(r.extra?.[k] ?? null);
    row.push(r.notes ?? null);
    reactionRows.push(row);
  }
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(reactionRows), "reactions");
  return wb;
}

export function writeNetfluxXlsx(model: NetworkModel): Buffer {
  return XLSX.write(netfluxWorkbook(model), { type: "buffer", bookType: "xlsx" }) as Buffer;
}

function extraKeys(
  items: readonly { extra?: Record<string, string | number> }[],
  placed: string[],
): string[] {
  const keys: string[] = [];
  for (const it of items) {
    for (const k of Object.keys(it.extra ?? {})) if (!keys.includes(k) && !placed.includes(k)) keys.push(k);
  }
  return keys;
}
