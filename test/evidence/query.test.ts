import { describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/errors.ts";
import {
  loadKnowledgeBase,
  queryStudies,
  type StudyFilters,
  studyReferenceKeys,
} from "../../src/evidence/index.ts";

const kb = loadKnowledgeBase();
const refsOf = (f: StudyFilters) => [...new Set(queryStudies(kb, f).flatMap(studyReferenceKeys))].sort();
const idsOf = (f: StudyFilters) => queryStudies(kb, f).map((s) => s.id);

describe("queryStudies: the done-when queries", () => {
  it("no filter returns all 46 rows", () => {
    expect(queryStudies(kb)).toHaveLength(46);
  });

  it("--cargo hsa-miR-23a-3p finds Song et al. (2021)", () => {
    expect(refsOf({ cargo: "hsa-miR-23a-3p" })).toEqual(["Song et al., 2021"]);
  });

  it("--route microneedle finds Yuan et al. (2023) and Huang et al. (2025)", () => {
    expect(refsOf({ route: "microneedle" })).toEqual(["Huang et al., 2025", "Yuan et al., 2023"]);
  });

  it("--effect pyroptosis finds Diao et al. (2024) and Liang et al. (2021)", () => {
    expect(refsOf({ effect: "pyroptosis" })).toEqual(["Diao et al., 2024", "Liang et al., 2021"]);
  });

  it("--target MAPK10 finds Huang L. et al. (2020)", () => {
    expect(refsOf({ target: "MAPK10" })).toEqual(["Huang L. et al., 2020"]);
  });
});

describe("queryStudies: alias-aware, case-insensitive filters", () => {
  it("matches the same cargo by id, name, alias and any case", () => {
    for (const v of ["MIR23A_3P", "miR-23a-3p", "MIR-23A-3P", "hsa-mir-23a-3p"])
      expect(idsOf({ cargo: v })).toEqual(["T1-18"]);
  });

  it("matches NF-κB spelled without Greek letters", () => {
    expect(idsOf({ target: "NF-kB" })).toEqual(["T1-09"]);
    expect(idsOf({ target: "nfkb" })).toEqual(["T1-09"]);
  });

  it("a pathway filter on a member molecule finds the pathways containing it", () => {
    const akt = idsOf({ pathway: "AKT" });
    expect(akt).toEqual(expect.arrayContaining(["T1-02", "T1-05", "T1-15", "T1-16", "T1-19", "T1-29"]));
    expect(idsOf({ pathway: "PI3K/AKT" })).not.toContain("T1-15");
  });

  it("an effect category includes its processes", () => {
    const immuno = idsOf({ effect: "immunomodulation" });
    expect(immuno).toEqual(expect.arrayContaining(["T1-09", "T1-10", "T1-11", "T1-12", "T1-14"]));
  });

  it("route accepts a route class", () => {
    expect(idsOf({ route: "systemic" })).toHaveLength(17);
  });

  it("species and model accept aliases", () => {
    expect(idsOf({ species: "mice" })).toEqual(idsOf({ species: "mouse" }));
    expect(idsOf({ model: "H/R" })).toEqual(["T1-12", "T1-19"]);
    expect(idsOf({ model: "CHF" })).toEqual(["T1-07"]);
    expect(idsOf({ model: "transplant" })).toEqual(["T1-29", "T2-13"]);
  });

  it("reference filter follows alias_of between Table 2 and text keys", () => {
    expect(idsOf({ reference: "Zhang Z. et al., 2024" })).toEqual(["T1-29", "T2-13"]);
    expect(idsOf({ reference: "Zhang et al. (2024a)" })).toEqual(["T1-27", "T2-17"]);
  });

  it("filters combine with AND", () => {
    expect(idsOf({ species: "mouse", route: "intravenous" })).toEqual(["T1-10", "T1-18"]);
  });

  it("free-text search matches cells, names and aliases", () => {
    expect(idsOf({ search: "divalent metal transporter" })).toEqual(["T1-18"]);
    expect(idsOf({ search: "GelMA" })).toEqual(["T1-17", "T2-06"]);
  });
});

describe("queryStudies: bad input", () => {
  const fail = (f: StudyFilters): InputError => {
    try {
      queryStudies(kb, f);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return err as InputError;
    }
    throw new Error("expected an InputError");
  };

  it("an unknown cargo names the field and suggests close values", () => {
    const err = fail({ cargo: "miR-23b-3p" });
    expect(err.field).toBe("cargo");
    expect(err.message).toMatch(/invalid cargo: "miR-23b-3p".*did you mean/s);
  });

  it("an unknown route suggests the microneedle patches for a typo", () => {
    expect(fail({ route: "microneedel" }).message).toMatch(/did you mean ".*microneedle patch"/);
  });

  it("a known molecule that no study uses as cargo is an input error", () => {
    expect(fail({ cargo: "SOX6" }).message).toMatch(/no study lists as cargo/);
  });

  it("unknown species and model", () => {
    expect(fail({ species: "zebrafish" }).field).toBe("species");
    expect(fail({ model: "xyz" }).field).toBe("model");
  });
});
