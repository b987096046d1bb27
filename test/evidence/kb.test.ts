import { describe, expect, it } from "vitest";
import {
  ENTITY_TYPES,
  loadKnowledgeBase,
  READOUTS,
  resolveReference,
  studyReferenceKeys,
} from "../../src/evidence/index.ts";

const kb = loadKnowledgeBase();

describe("bundled knowledge base", () => {
  it("validates and holds all 29 + 17 table rows with stable ids", () => {
    expect(kb.studies.filter((s) => s.table === 1).map((s) => s.id)).toEqual(
      Array.from({ length: 29 }, (_, i) => `T1-${String(i + 1).padStart(2, "0")}`),
    );
    expect(kb.studies.filter((s) => s.table === 2).map((s) => s.id)).toEqual(
      Array.from({ length: 17 }, (_, i) => `T2-${String(i + 1).padStart(2, "0")}`),
    );
  });

  it("keeps Table 2 group headings as categories, not rows", () => {
    const categories = [...new Set(kb.studies.filter((s) => s.table === 2).map((s) => s.category))];
    expect(categories).toEqual([
      "Genetic engineering",
      "RNA Engineering",
      "Biomaterial Integration",
      "Multi-Component Systems",
      "Advantages Over Native Exosomes",
    ]);
    expect(kb.studies.filter((s) => s.category === "Advantages Over Native Exosomes")).toHaveLength(4);
  });

  it("gives every study at least one known reference and one claim", () => {
    for (const s of kb.studies) {
      const keys = studyReferenceKeys(s);
      expect(keys.length, s.id).toBeGreaterThan(0);
      for (const k of keys) expect(kb.referenceById.has(k), `${s.id} → ${k}`).toBe(true);
      expect(s.claims.length, s.id).toBeGreaterThan(0);
    }
  });

  it("tells Zhang et al., 2024a and 2024b apart and links each to its text key", () => {
    expect(resolveReference("Zhang et al., 2024a", kb)?.alias_of).toBe("Zhang J. et al., 2024");
    expect(resolveReference("Zhang et al. (2024b)", kb)?.alias_of).toBe("Zhang Z. et al., 2024");
    expect(resolveReference("Huang L. et al., 2020", kb)?.tables).toEqual(["Table 1"]);
  });

  it("has an entity for every readout id and uses only known entity types", () => {
    for (const r of READOUTS) expect(kb.entityById.has(r), r).toBe(true);
    for (const e of kb.entities) expect(ENTITY_TYPES).toContain(e.type);
  });

  it("records the safety study as no-change claims on hemolysis, vascular irritation and anaphylaxis", () => {
    const sun = kb.studies.find((s) => s.reference === "Sun et al., 2016")!;
    expect(sun.claims.map((c) => [c.readout, c.direction])).toEqual([
      ["hemolysis", "no-change"],
      ["vascular_irritation", "no-change"],
      ["anaphylaxis", "no-change"],
    ]);
  });

  it("states miR-23a-3p lowers ferroptosis via DMT1 (Song et al., 2021)", () => {
    const song = kb.studyById.get("T1-18")!;
    expect(song.claims).toContainEqual(
      expect.objectContaining({ readout: "ferroptosis", direction: "decrease" }),
    );
    expect(song.claims).toContainEqual(expect.objectContaining({ readout: "DMT1", direction: "decrease" }));
  });

  it("is cached per data directory", () => {
    expect(loadKnowledgeBase()).toBe(kb);
  });

  it("gives each fact a structured value and known references", () => {
    const size = kb.facts.find((f) => f.id === "exosome_diameter")!;
    expect(size.value).toEqual({ kind: "range", min: 40, max: 200 });
    expect(size.unit).toBe("nm");
    const shock = kb.facts.find((f) => f.id === "cardiogenic_shock_mortality")!;
    expect(shock.references).toEqual(["Abu Ghosh et al., 2023"]);
  });
});
