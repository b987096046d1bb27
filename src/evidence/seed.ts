/**
 * Reads the review's plain-text seed (../shared/seed/*.txt): the rows of Tables 1 and 2 and every
 * "(Author et al., 2020)" citation with the section, table or figure it appears in. Used by the
 * tests to check data/ against the source text, never at run time: the knowledge base itself
 * lives in data/ so it works without the seed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface SeedTableRow {
  table: 1 | 2;
  /** data-row number inside the table, 1-based, group headings not counted */
  row: number;
  /** Table 2 group heading the row sits under ("Genetic engineering", …); undefined in Table 1 */
  category?: string;
  /** cell texts in column order, exactly as in the seed */
  cells: string[];
}

export interface CitationSite {
  sections: Set<string>;
  tables: Set<string>;
}

/** The seed text of the review, or undefined when the seed folder is absent. */
export function readSeedText(seedDir: string): string | undefined {
  if (!existsSync(seedDir)) return undefined;
  const file = readdirSync(seedDir).find((f) => f.endsWith(".txt"));
  return file ? readFileSync(join(seedDir, file), "utf8") : undefined;
}

/**
 * Table rows: the line after "TABLE n |" starts the table; each data row is a tab-separated line
 * starting with a tab; a row with a single cell is a group heading (Table 2); a blank line ends it.
 */
export function parseSeedTables(text: string): SeedTableRow[] {
  const lines = text.split(/\r?\n/);
  const rows: SeedTableRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^TABLE (\d) \|/.exec(lines[i]);
    if (!m) continue;
    const table = Number(m[1]) as 1 | 2;
    let category: string | undefined;
    let row = 0;
    for (let j = i + 1; j < lines.length && lines[j].startsWith("\t"); j++) {
      const cells = lines[j].slice(1).split("\t");
      if (cells.length === 1) {
        category = cells[0];
        continue;
      }
      row += 1;
      rows.push({ table, row, category, cells });
    }
  }
  return rows;
}

/** "Zhao et al. (2015)" → "Zhao et al., 2015"; "Yuan et al. (2023),Huang et al. (2025)" → two keys. */
export function tableCitationKeys(cell: string): string[] {
  return [...cell.matchAll(/([^,()]+?) \((\d{4}[a-z]?)\)/g)].map((m) => `${m[1].trim()}, ${m[2]}`);
}

const CITATION =
  /^([A-ZÀ-Ý][\p{L}'-]+(?: [A-ZÀ-Ý][\p{L}'-]+)*(?: [A-Z]\.)?(?: et al\.| and [A-ZÀ-Ý][\p{L}'-]+)?), (\d{4}[a-z]?)$/u;

/** Citation keys inside one parenthesis group, e.g. "Li et al., 2015; Bárcia et al., 2015". */
export function parenCitationKeys(group: string): string[] {
  return group
    .split(";")
    .map((s) => s.trim())
    .filter((s) => CITATION.test(s));
}

/**
 * Every citation in the body text and tables with where it appears. Sections come from numbered
 * headings ("4.1 Anti-apoptotic …"), including headings glued to the end of a figure caption.
 */
export function extractCitations(text: string): Map<string, CitationSite> {
  const sites = new Map<string, CitationSite>();
  const site = (key: string): CitationSite => {
    let s = sites.get(key);
    if (!s) {
      s = { sections: new Set(), tables: new Set() };
      sites.set(key, s);
    }
    return s;
  };
  let section = "";
  let table: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const heading = /^\s*(\d+(?:\.\d+)*) [A-Z]/.exec(line);
    if (heading && line.length < 200) {
      section = heading[1];
      table = undefined;
      continue;
    }
    const tableStart = /^TABLE (\d) \|/.exec(line);
    if (tableStart) table = `Table ${tableStart[1]}`;
    else if (table && !line.startsWith("\t") && line.trim() !== "" && !line.startsWith("Abbreviations")) {
      table = undefined;
    }
    if (table && line.startsWith("\t")) {
      for (const key of tableCitationKeys(line.split("\t").at(-1) ?? "")) site(key).tables.add(table);
    } else {
      // figure captions carry no citations; a citation on a caption line is body text that
      // follows the caption on the same line, so it belongs to the running section
      for (const group of line.matchAll(/\(([^()]*\d{4}[a-z]?)\)/g)) {
        for (const key of parenCitationKeys(group[1])) site(key).sections.add(section);
      }
    }
    const glued = /\.(\d+(?:\.\d+)*) ([A-Z][A-Za-z -]+)$/.exec(line);
    if (glued) section = glued[1];
  }
  return sites;
}
