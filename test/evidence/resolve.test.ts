import { describe, expect, it } from "vitest";
import {
  loadKnowledgeBase,
  normalizeName,
  resolveEntity,
  resolveReference,
} from "../../src/evidence/index.ts";

describe("resolveEntity", () => {
  it.each([
    ["MAPK10", "JNK3"],
    ["jnk3", "JNK3"],
    ["PLCB3", "PLCB3"],
    ["Plcb3", "PLCB3"],
    ["SLC11A2", "DMT1"],
    ["divalent metal transporter 1", "DMT1"],
    ["ACTA2", "ALPHA_SMA"],
    ["alpha-SMA", "ALPHA_SMA"],
    ["α-SMA", "ALPHA_SMA"],
    ["hsa-miR-23a-3p", "MIR23A_3P"],
    ["miR-23a-3p", "MIR23A_3P"],
    ["NF-κB", "NFKB"],
    ["NF-kB", "NFKB"],
    ["NFKB", "NFKB"],
    ["TGF-beta", "TGFB"],
    ["TGF-β3", "TGFB3"],
    ["IL-1b", "IL1B"],
    ["IL-1β", "IL1B"],
    ["PDCD6IP", "ALIX"],
    ["Beclin-1", "BECN1"],
    ["nucleolin", "NCL"],
    ["AKT/PI3K axis", "PI3K_AKT"],
    ["NLRP3 inflammasome", "NLRP3_INFLAMMASOME"],
    ["lncRNA UCA1", "UCA1"],
    ["circ-0001273", "CIRC_0001273"],
    ["GelMA", "gelma"],
    ["Intravenous injection", "intravenous"],
  ])("%s → %s", (name, id) => {
    expect(resolveEntity(name)?.id).toBe(id);
  });

  it("returns undefined for an unknown name", () => {
    expect(resolveEntity("miR-9999")).toBeUndefined();
  });

  it("knows the seven Figure 2 effects and the three hubs", () => {
    const kb = loadKnowledgeBase();
    expect(kb.entities.filter((e) => e.type === "effect")).toHaveLength(7);
    for (const hub of ["PI3K_AKT", "NLRP3_INFLAMMASOME", "NFKB_SIGNALING"])
      expect(kb.entityById.get(hub)?.type).toBe("pathway");
  });
});

describe("normalizeName and resolveReference", () => {
  it("normalizes Greek, case, accents and punctuation", () => {
    expect(normalizeName("NF-κB")).toBe(normalizeName("nf kb"));
    expect(normalizeName("TGF-β")).toBe(normalizeName("TGF-beta"));
    expect(normalizeName("Bárcia et al., 2015")).toBe(normalizeName("Barcia et al. (2015)"));
  });

  it("finds a reference written the table's way", () => {
    expect(resolveReference("Song et al. (2021)")?.id).toBe("Song et al., 2021");
    expect(resolveReference("Huang L. et al. (2020)")?.id).toBe("Huang L. et al., 2020");
    expect(resolveReference("Huang et al., 2020")).toBeUndefined();
  });
});
