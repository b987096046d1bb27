import { describe, expect, it } from "vitest";
import { InputError } from "../../src/cli/errors.ts";
import "../../src/scenario/all-readouts.ts";
import { designFromTherapy } from "../../src/engineering/cargo.ts";
import { readoutValue } from "../../src/scenario/readouts.ts";
import { Therapy } from "../../src/scenario/schema.ts";
import { defaultNetwork, simulate } from "../../src/scenario/simulate.ts";

const untreated = simulate({ species: "rat", injury: "permanent-ligation", therapy: null });
const nativeIv = simulate({
  species: "rat",
  injury: "permanent-ligation",
  therapy: { route: "intravenous" },
});

describe("scenario simulation", () => {
  it("starts from the uninjured steady state: no cell death before injury", () => {
    expect(untreated.at("apoptosis", 0)).toBeLessThan(0.01);
    expect(untreated.at("pyroptosis", 0)).toBeLessThan(0.01);
    expect(untreated.at("apoptosis", 24)).toBeGreaterThan(0.5);
  });

  it("an uninjured, untreated heart stays at rest", () => {
    const rest = simulate({ species: "rat", injury: "none", therapy: null, duration_h: 168 });
    for (const id of ["apoptosis", "inflammation", "fibrosis", "infarct_size"]) {
      expect(readoutValue(rest, id, 168)).toBeLessThan(0.01);
    }
  });

  it("is deterministic", () => {
    const again = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intravenous" },
    });
    expect(Array.from(again.y)).toEqual(Array.from(nativeIv.y));
  });

  it("a perturbation clamps a node for the whole run", () => {
    const r = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: null,
      perturb: { NFKB: 0 },
      duration_h: 48,
    });
    expect(Math.max(...r.series("NFKB"))).toBe(0);
    expect(r.at("inflammation", 24)).toBeLessThan(untreated.at("inflammation", 24));
  });

  it("names resolve through aliases (hsa-miR-23a-3p, NF-κB, MAPK10)", () => {
    expect(untreated.at("NF-κB", 24)).toBe(untreated.at("NFKB", 24));
    expect(untreated.at("MAPK10", 24)).toBe(untreated.at("JNK3", 24));
  });

  it("rejects unknown perturbation nodes with suggestions", () => {
    expect(() => simulate({ injury: "none", perturb: { NFKBB: 1 } })).toThrow(/perturb\.NFKBB[\s\S]*NFKB/);
  });

  it("rejects unknown routes and ligands naming the field", () => {
    expect(() => simulate({ therapy: { route: "intravenus" } })).toThrow(/intravenous/);
    expect(() => simulate({ therapy: { engineering: [{ kind: "surface", ligand: "XYZ" }] } })).toThrow(
      InputError,
    );
  });

  it("rejects absurd doses and durations through the schema", () => {
    expect(() => simulate({ therapy: { dose_particles: -1 } })).toThrow();
    expect(() => simulate({ therapy: { dose_particles: Number.NaN } })).toThrow();
    expect(() => simulate({ duration_h: 1e9 })).toThrow();
  });
});

describe("engineering changes the cargo profile", () => {
  const model = defaultNetwork();
  const profile = (th: unknown) => designFromTherapy(model, Therapy.parse(th)).profile;

  it("MIF overexpression raises miR-133a-3p (Zhu et al. 2021)", () => {
    expect(
      profile({ engineering: [{ kind: "overexpress", gene: "MIF" }] }).get("miR_133a_3p"),
    ).toBeGreaterThan(profile({}).get("miR_133a_3p")! * 2);
  });

  it("hypoxic preconditioning raises miR-214 (Shao et al. 2023)", () => {
    expect(
      profile({ engineering: [{ kind: "precondition", condition: "hypoxia" }] }).get("miR_214"),
    ).toBeGreaterThan(profile({}).get("miR_214")!);
  });

  it("knockdown removes a cargo; knockdown of a recipient gene loads its siRNA", () => {
    expect(
      profile({ engineering: [{ kind: "knockdown", molecule: "hsa-miR-23a-3p" }] }).get("miR_23a_3p"),
    ).toBe(0);
    expect(profile({ engineering: [{ kind: "knockdown", molecule: "EGR1" }] }).get("siEGR1")).toBeGreaterThan(
      0.3,
    );
  });

  it("unknown genes and molecules exit with the allowed values", () => {
    expect(() => profile({ engineering: [{ kind: "overexpress", gene: "MIFF" }] })).toThrow(/MIF/);
    expect(() => profile({ engineering: [{ kind: "load", molecule: "miR-9999" }] })).toThrow(InputError);
  });
});

describe("delivery drives the cargo inputs", () => {
  it("intramyocardial injection gives more cargo activity in the heart than intravenous", () => {
    const im = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intramyocardial" },
      duration_h: 72,
    });
    expect(im.at("miR_23a_3p", 24)).toBeGreaterThan(nativeIv.at("miR_23a_3p", 24));
  });

  it("a peptide hydrogel keeps cargo active at 14 d when free injection has faded", () => {
    const gel = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "peptide-hydrogel" },
    });
    const im = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intramyocardial" },
    });
    expect(gel.at("miR_23a_3p", 336)).toBeGreaterThan(2 * im.at("miR_23a_3p", 336));
  });

  it("a later dose leaves the early injury untouched", () => {
    const late = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intravenous", time_h: 48 },
    });
    expect(late.at("apoptosis", 24)).toBeCloseTo(untreated.at("apoptosis", 24), 6);
    expect(late.at("apoptosis", 72)).toBeLessThan(untreated.at("apoptosis", 72));
  });
});
