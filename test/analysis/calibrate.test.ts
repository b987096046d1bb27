import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  acceptInterval,
  type CalibrationTarget,
  literalRatioInterval,
  loadCalibrationTargets,
  runCalibration,
  sourceText,
} from "../../src/analysis/calibrate.ts";

const targets = loadCalibrationTargets();
const refs = new Set(
  (
    parse(readFileSync(new URL("../../data/references.yaml", import.meta.url), "utf8")) as { id: string }[]
  ).map((r) => r.id),
);

describe("calibration targets", () => {
  it("list every one of the review's engineered-vs-native comparisons", () => {
    const want: [string, string, number][] = [
      ["Zhu et al., 2021", "capillary_density", 2],
      ["Zhu et al., 2021", "infarct_size", 0.3333],
      ["Ni et al., 2019", "capillary_density", 1.3],
      ["Ni et al., 2019", "apoptosis", 0.6],
      ["Ma et al., 2017", "capillary_density", 2],
    ];
    for (const [ref, readout, ratio] of want) {
      const t = targets.find((x) => sourceText(x.source) === ref && x.readout === readout);
      expect(t, `${ref} ${readout}`).toBeDefined();
      expect(t!.kind).toBe("ratio");
      expect(t!.target).toBeCloseTo(ratio, 3);
      expect(t!.tolerance).toBe(0.5);
    }
  });

  it("cite a review reference that exists, or a research file", () => {
    for (const t of targets) {
      const s = t.source;
      if (typeof s === "string") expect(s).toMatch(/^research\//);
      else expect(refs.has(s.ref), s.ref).toBe(true);
    }
  });

  it("derive the acceptance interval from the reported effect", () => {
    const x2 = { kind: "ratio", target: 2, tolerance: 0.5 } as CalibrationTarget;
    expect(acceptInterval(x2)).toEqual([1.5, 2.5]);
    expect(literalRatioInterval(x2)).toEqual([1, 3]);
    const minus40 = { kind: "ratio", target: 0.6, tolerance: 0.5 } as CalibrationTarget;
    const [a, b] = acceptInterval(minus40);
    expect(a).toBeCloseTo(0.4);
    expect(b).toBeCloseTo(0.8);
  });
});

describe("calibration report", () => {
  it("computes a ratio target as scenario / reference and judges it against its interval", () => {
    const t = targets.find((x) => x.id === "timp2-apoptosis-ratio")!;
    const short = {
      ...t,
      scenario: { ...t.scenario, duration_h: 72 },
      reference: { ...t.reference!, duration_h: 72 },
    };
    const [row] = runCalibration([short]);
    expect(row.model).toBeCloseTo(row.scenarioValue / row.referenceValue!, 12);
    // TIMP2 exosomes lower apoptosis vs native (direction of Ni et al., 2019)
    expect(row.model).toBeLessThan(1);
    expect(row.pass).toBe(row.model >= 0.4 && row.model <= 0.8);
  });
});

describe("the calibrated model (issue 5's acceptance)", () => {
  it("reproduces every untreated rodent target and every native-exosome effect of data/calibration.yaml", () => {
    // untreated time courses (no therapy in the scenario) and native HUCMSC-Exos vs untreated, per
    // route (issue 13 item 6: IV and intramyocardial gains in the meta-analysed range, IM/IV ≤ 1.5),
    // at the data files' nominal values; targets recorded as known misses (a different measurement,
    // with the reason in the file) are left to the posterior report
    const accepted = targets.filter(
      (t) =>
        (t.scenario.therapy === null || t.scenario.therapy === undefined || t.id.startsWith("native-")) &&
        t.known_miss_reason === undefined,
    );
    expect(accepted.length).toBeGreaterThanOrEqual(12);
    expect(accepted.map((t) => t.id)).toEqual(
      expect.arrayContaining([
        "native-im-lvef-gain-d28",
        "native-im-iv-lvef-gain-ratio-d28",
        "native-lvef-gain-d28",
      ]),
    );
    const misses = runCalibration(accepted).filter((r) => !r.pass);
    expect(misses.map((r) => `${r.target.id}: ${r.model}`)).toEqual([]);
  }, 120_000);
});
