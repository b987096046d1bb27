import { describe, expect, it } from "vitest";
import {
  classify,
  loadDefaultCases,
  parseCases,
  runValidation,
  type ValidationCase,
} from "../../src/analysis/validate.ts";
import { compileNetwork } from "../../src/network/compile.ts";
import type { NetworkModel } from "../../src/network/model.ts";
import { parseRule } from "../../src/network/rules.ts";
import { defaultNetwork } from "../../src/scenario/simulate.ts";
import { TISSUE_READOUTS } from "../../src/tissue/model.ts";

/** The default network with one rule replaced (or removed when `to` is null). */
function withRule(from: string, to: string | null): NetworkModel {
  const m = defaultNetwork();
  const idx = m.reactions.findIndex((r) => r.rule === from);
  if (idx < 0) throw new Error(`rule not found: ${from}`);
  const reactions = [...m.reactions];
  if (to === null) reactions.splice(idx, 1);
  else {
    const parsed = parseRule(to);
    reactions[idx] = { ...reactions[idx], rule: to, reactants: parsed.reactants, product: parsed.product };
  }
  return { ...m, reactions };
}

const cases = loadDefaultCases();
const byStudy = (prefix: string): ValidationCase[] => cases.filter((c) => c.id.startsWith(prefix));

describe("validation scoring", () => {
  it("classifies a relative change against the threshold, with the 0.01 floor for tiny baselines", () => {
    expect(classify(1.06, 1).dir).toBe("increase");
    expect(classify(0.94, 1).dir).toBe("decrease");
    expect(classify(1.04, 1).dir).toBe("no-change");
    expect(classify(0.0004, 0).dir).toBe("no-change"); // 0.0004 / 0.01 = 4%
    expect(classify(0.001, 0).dir).toBe("increase");
    expect(classify(1.04, 1, 0.03).dir).toBe("increase");
  });

  it("rejects malformed case files naming the field", () => {
    expect(() => parseCases("{ not json", "x")).toThrow(/not valid JSON\/YAML/);
    expect(() => parseCases(JSON.stringify({ cases: [{ id: "a" }] }), "x")).toThrow(/claim|scenario|readout/);
    const bad = {
      cases: [
        {
          id: "a",
          claim: "c",
          reference: "r",
          scenario: { species: "rat" },
          baseline: { species: "rat" },
          readout: "apoptosiss",
          time_h: 24,
          time_basis: "test case",
          expect: "decrease",
        },
      ],
    };
    expect(() => parseCases(JSON.stringify(bad), "x")).toThrow(/apoptosiss[\s\S]*did you mean "apoptosis"/);
    const badExpect = { cases: [{ ...bad.cases[0], readout: "apoptosis", expect: "down" }] };
    expect(() => parseCases(JSON.stringify(badExpect), "x")).toThrow(/increase/);
  });
});

describe("the model reproduces the review's findings by mechanism", () => {
  it("at the studies' measurement times: the figures the README reports, and every native-vs-untreated tissue outcome", () => {
    // Not 100%: at day 28 (the default where neither the seed nor the primary paper gives a time)
    // many acute readouts (apoptosis, pyroptosis, AKT) have returned to near zero in both arms and
    // engineered-vs-native differences sit below the 5% threshold. The README lists the misses; this
    // guards the figure against regressions (measured 69/88 mechanistic, 24/38 direct).
    const rep = runValidation(cases);
    expect(rep.total).toBeGreaterThan(100);
    expect(rep.outOfScope.length).toBeLessThanOrEqual(5);
    expect(rep.byClass.mechanistic.agree).toBeGreaterThanOrEqual(69);
    expect(rep.byClass.direct.agree).toBeGreaterThanOrEqual(24);
    // a treatment vs no treatment changes the day-28 tissue in the direction the studies report
    const tissue = new Set<string>(TISSUE_READOUTS);
    const failed = rep.results
      .filter((r) => tissue.has(r.case.readout) && r.case.baseline?.therapy === null && !r.agree)
      .map((r) => `${r.case.id}: ${r.predicted}`);
    expect(failed).toEqual([]);
  }, 300_000);

  it("deleting miR-23a-3p -| DMT1 breaks the DMT1/iron claims and the miR-23a-3p rescue of Song et al. (2021)", () => {
    const song = byStudy("song2021-");
    // read at 24 h, while the cargo acts (the edge's effect is what is tested, not a time)
    const intact = runValidation(song, { at: 24 });
    expect(intact.agree).toBe(intact.total);
    const cut = compileNetwork(withRule("cell_stress & !miR_23a_3p => DMT1", "cell_stress => DMT1"));
    const broken = runValidation(song, { simulate: { compiled: cut }, at: 24 });
    const lost = broken.results.filter((r) => !r.agree).map((r) => r.case.id);
    // ferroptosis itself still falls (the exosomes' antioxidant cargo lowers lipid peroxidation too),
    // but the miR-23a-3p-specific findings depend on this one edge
    expect(lost).toEqual(expect.arrayContaining(["song2021-dmt1", "song2021-iron", "song2021-rescue-kd"]));
  });

  it("deleting miR-19a -| SOX6 breaks the SOX6 claims of Huang L. et al. (2020)", () => {
    const cut = compileNetwork(withRule("cell_stress & !miR_19a => SOX6", "cell_stress => SOX6"));
    const broken = runValidation(byStudy("huang2020-"), { simulate: { compiled: cut }, at: 24 });
    expect(runValidation(byStudy("huang2020-sox6"), { at: 24 }).agree).toBe(1);
    const lost = broken.results.filter((r) => !r.agree).map((r) => r.case.id);
    expect(lost).toEqual(expect.arrayContaining(["huang2020-sox6", "huang2020-rescue-sox6"]));
  });

  it("deleting FOXO3 => NLRP3 removes the pyroptosis protection of miR-100-5p (Liang et al. 2021)", () => {
    const cut = compileNetwork(withRule("FOXO3 & ROS => NLRP3", null));
    const broken = runValidation(byStudy("liang2021-"), { simulate: { compiled: cut }, at: 24 });
    const intact = runValidation(byStudy("liang2021-rescue"), { at: 24 });
    expect(intact.agree).toBe(intact.total);
    const lost = broken.results.filter((r) => !r.agree).map((r) => r.case.id);
    expect(lost).toEqual(expect.arrayContaining(["liang2021-rescue-kd", "liang2021-rescue-foxo3"]));
  });
});
