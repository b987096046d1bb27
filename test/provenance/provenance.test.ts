import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadKnowledgeBase, resolveReference } from "../../src/evidence/index.ts";
import { resolveSpecies } from "../../src/network/resolve.ts";
import { defaultNetwork } from "../../src/scenario/simulate.ts";

/** Every `ref:` in the model's data files must be a citation key of the review (data/references.yaml). */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

const kb = loadKnowledgeBase();

describe("provenance of model data", () => {
  for (const file of ["network", "cargo", "injury", "tissue", "designs", "claims"]) {
    it(`every reference in data/${file}.yaml is a citation of the review`, () => {
      const data = parse(readFileSync(new URL(`../../data/${file}.yaml`, import.meta.url), "utf8"));
      const refs = file === "designs" || file === "claims" ? collectReferenceFields(data) : refsIn(data);
      expect(refs.length).toBeGreaterThan(0);
      const unknown = [...new Set(refs)].filter((r) => !resolveReference(r, kb));
      expect(unknown).toEqual([]);
    });
  }

  it("every reaction of the network carries evidence", () => {
    const bare = defaultNetwork().reactions.filter((r) => !r.evidence || r.evidence.length === 0);
    expect(bare.map((r) => r.rule)).toEqual([]);
  });

  it("every assumption in the network says why", () => {
    const empty = defaultNetwork().reactions.flatMap((r) =>
      (r.evidence ?? [])
        .filter((e) => "assumption" in e && e.assumption.trim().length < 10)
        .map(() => r.rule),
    );
    expect(empty).toEqual([]);
  });
});

function collectReferenceFields(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collectReferenceFields(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if ((k === "reference" || k === "ref") && typeof v === "string") out.push(v);
      else collectReferenceFields(v, out);
    }
  }
  return out;
}

describe("network content required by the review's Figure 2", () => {
  const model = defaultNetwork();
  it.each([
    "PI3K",
    "AKT",
    "BCL2",
    "BAX",
    "CASP3",
    "CASP1",
    "NLRP3",
    "IL1B",
    "NFKB",
    "TLR4",
    "ROS",
    "SOD",
    "FOXO3",
    "SOX6",
    "JNK3",
    "SMAD7",
    "SUFU",
    "PLCB3",
    "DMT1",
    "VEGF",
    "TGFB1",
    "collagen",
    "APAF1",
    "EGR1",
    "CDK6",
  ])("has node %s", (name) => {
    expect(resolveSpecies(model, name)).toBeDefined();
  });

  it.each([
    ["MAPK10", "JNK3"],
    ["SLC11A2", "DMT1"],
    ["hsa-miR-23a-3p", "miR_23a_3p"],
    ["NF-κB", "NFKB"],
    ["TGF-β1", "TGFB1"],
    ["α-SMA", "ACTA2"],
    ["caspase-3", "CASP3"],
  ])("resolves %s to %s", (alias, id) => {
    expect(resolveSpecies(model, alias)?.id).toBe(id);
  });

  it("has one output node per readout of the issue", () => {
    const readouts = model.species.filter((s) => s.readout).map((s) => s.readout);
    for (const r of [
      "apoptosis",
      "pyroptosis",
      "ferroptosis",
      "angiogenesis",
      "inflammation",
      "m2_polarization",
      "fibrosis",
      "oxidative_stress",
      "cm_proliferation",
      "senescence",
      "er_stress",
      "mitophagy",
    ]) {
      expect(readouts).toContain(r);
    }
  });

  it("has an input node for every cargo of Tables 1-2", () => {
    for (const c of [
      "miR-19a",
      "miR-125b-5p",
      "UCA1",
      "MIF",
      "miR-133a-3p",
      "miR-214",
      "miR-1246",
      "PDGF-D",
      "miR-24-3p",
      "miR-204",
      "miR-100-5p",
      "miR-29b",
      "TIMP2",
      "siEGR1",
      "miR-23a-3p",
      "circASXL1",
      "circ-0001273",
      "miR-136",
      "PLGF",
      "TGF-β3",
    ]) {
      const s = resolveSpecies(model, c);
      expect(s?.module, c).toBe("cargo");
      expect(
        model.reactions.some((r) => r.product === s!.id && r.reactants.length === 0),
        c,
      ).toBe(true);
    }
  });

  it("has the four cell-type modules and the shared hubs", () => {
    const modules = new Set(model.species.map((s) => s.module));
    for (const m of ["cardiomyocyte", "endothelial", "macrophage", "fibroblast", "hub"])
      expect(modules).toContain(m);
    for (const hub of ["AKT", "PI3K", "NLRP3", "NFKB"])
      expect(resolveSpecies(model, hub)?.module).toBe("hub");
  });
});
