import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/evidence/index.ts";
import { TABLE_COLUMNS } from "../../src/evidence/schema.ts";
import { extractCitations, parseSeedTables, readSeedText } from "../../src/evidence/seed.ts";

/** The seed sits beside the repository: <repo>/../shared/seed. */
const SEED_DIR = resolve(join(import.meta.dirname, "../../../shared/seed"));
const text = existsSync(SEED_DIR) ? readSeedText(SEED_DIR) : undefined;
const kb = loadKnowledgeBase();

/**
 * A quoted fragment, with "..." marking omitted words, occurs in `source` piece by piece. The seed
 * uses no-break spaces ("200\u00a0nm"); they compare equal to plain spaces.
 */
function quotedIn(quote: string, source: string): boolean {
  const flat = (s: string) => s.replace(/\u00a0/g, " ");
  return flat(quote)
    .split(/\s*\.\.\.\s*/)
    .every((piece) => flat(source).includes(piece));
}

describe.skipIf(text === undefined)("data agrees with the seed review", () => {
  const seed = text ?? "";

  it("every study keeps its original cell text verbatim, in column order", () => {
    const rows = parseSeedTables(seed);
    expect(rows).toHaveLength(kb.studies.length);
    for (const row of rows) {
      const id = `T${row.table}-${String(row.row).padStart(2, "0")}`;
      const study = kb.studyById.get(id);
      expect(study, id).toBeDefined();
      const cells = TABLE_COLUMNS[row.table].map((c) => (study!.cells as Record<string, string>)[c]);
      expect(cells, id).toEqual(row.cells);
      expect(study!.category, id).toBe(row.category);
    }
  });

  it("the reference list is exactly the seed's citations, with their sections and tables", () => {
    const cites = extractCitations(seed);
    expect(kb.references.map((r) => r.id).sort()).toEqual([...cites.keys()].sort());
    for (const r of kb.references) {
      const site = cites.get(r.id)!;
      expect([...r.sections].sort(), r.id).toEqual([...site.sections].sort());
      expect([...r.tables].sort(), r.id).toEqual([...site.tables].sort());
    }
  });

  it("every claim's text is quoted from its row or from the section it names", () => {
    for (const s of kb.studies) {
      const rowText = Object.values(s.cells).join(" | ");
      for (const c of s.claims) {
        const source = c.source.startsWith("table") ? rowText : seed;
        expect(quotedIn(c.text, source), `${c.id}: "${c.text}"`).toBe(true);
      }
    }
  });

  it("every fact's statement is quoted from the review", () => {
    for (const f of kb.facts) expect(quotedIn(f.statement, seed), f.id).toBe(true);
  });

  it("every fact's references are cited in the section the fact comes from", () => {
    const cites = extractCitations(seed);
    for (const f of kb.facts) {
      for (const key of f.references)
        expect(cites.get(key)?.sections.has(f.section), `${f.id} ${key}`).toBe(true);
    }
  });
});
