import { describe, expect, it } from "vitest";
import { MAX_COHORT, runCohort, sampleMember } from "../../src/analysis/cohort.ts";
import { evaluateMember } from "../../src/analysis/member.ts";
import { Scenario } from "../../src/scenario/schema.ts";
import { applyStandardOfCare, coverage, parseRegimen } from "../../src/tissue/standard-of-care.ts";

// short runs keep the suite fast: two days after injury
const scenario = Scenario.parse({
  species: "rat",
  injury: "permanent-ligation",
  duration_h: 48,
  therapy: { route: "intravenous", time_h: 1 },
});

describe("virtual cohort sampling", () => {
  it("draws member i from (seed, i) alone: same member twice, different members differ", () => {
    const a = sampleMember({ scenario, seed: 7 }, 3);
    const b = sampleMember({ scenario, seed: 7 }, 3);
    const c = sampleMember({ scenario, seed: 7 }, 4);
    const d = sampleMember({ scenario, seed: 8 }, 3);
    expect(a).toEqual(b);
    expect(a.factors.baseline_lvef).not.toBe(c.factors.baseline_lvef);
    expect(a.factors.baseline_lvef).not.toBe(d.factors.baseline_lvef);
    // rat baseline LVEF within the documented sham range, copied into the tissue parameter
    expect(a.factors.baseline_lvef).toBeGreaterThanOrEqual(65);
    expect(a.factors.baseline_lvef).toBeLessThanOrEqual(85);
    expect(a.treated.tissue?.ef_sham).toBe(a.factors.baseline_lvef);
    // the untreated arm shares the member's draws but has no therapy
    expect(a.untreated.scenario.therapy).toBeNull();
    expect(a.untreated.tissue).toEqual(a.treated.tissue);
  });

  it("batch variability scales cargo and dose with a CV near the documented 25%", () => {
    const lots = Array.from(
      { length: 400 },
      (_, i) =>
        sampleMember({ scenario, seed: 1, patientFactors: false, parameterUncertainty: false }, i).factors
          .lot_cargo,
    );
    const mean = lots.reduce((s, v) => s + v, 0) / lots.length;
    const sd = Math.sqrt(lots.reduce((s, v) => s + (v - mean) ** 2, 0) / (lots.length - 1));
    expect(mean).toBeGreaterThan(0.93);
    expect(mean).toBeLessThan(1.07);
    expect(sd / mean).toBeGreaterThan(0.18);
    expect(sd / mean).toBeLessThan(0.32);
  });

  it("rejects a cohort larger than the bound with a clear error", async () => {
    await expect(
      runCohort({ scenario, n: MAX_COHORT + 1, seed: 1, readouts: ["lvef"], at: 48, workers: 0 }),
    ).rejects.toThrow(/--n/);
  });

  it("gives identical members with 0 workers (in-thread) and 2 worker threads", async () => {
    const opts = { scenario, n: 3, seed: 11, readouts: ["infarct_size", "apoptosis"], at: 48 };
    const inline = await runCohort({ ...opts, workers: 0 });
    const pooled = await runCohort({ ...opts, workers: 2 });
    expect(Array.from(pooled.values)).toEqual(Array.from(inline.values));
    // and the members really vary
    const is = inline.summaries[0];
    expect(is.untreated.p95).toBeGreaterThan(is.untreated.p5);
  });
});

describe("standard of care", () => {
  it("weights a drug by the share of its window it covers", () => {
    expect(coverage([0, 72], 0)).toBe(1);
    expect(coverage([0, 72], 36)).toBeCloseTo(0.5);
    expect(coverage([0, 72], 100)).toBe(0);
  });

  it("turns reperfusion into an ischemia-reperfusion injury with that time", () => {
    const s = Scenario.parse({ species: "rat", injury: "permanent-ligation" });
    const out = applyStandardOfCare(s, parseRegimen("reperfusion=3"));
    expect(out.scenario.injury).toBe("ischemia-reperfusion");
    expect(out.scenario.ischemia_h).toBe(3);
  });

  it("an ACE inhibitor from day 0 limits LV dilation more than one started late", () => {
    const s = Scenario.parse({ species: "rat", injury: "permanent-ligation", duration_h: 336 });
    const dilation = (start: number) => {
      const m = applyStandardOfCare(s, { ace_inhibitor: start }).multipliers;
      return evaluateMember(
        { scenario: s, tissue: { k_dilation: 0.62 * (m.k_dilation ?? 1) } },
        ["lvedd"],
        [336],
      )[0];
    };
    const early = dilation(0);
    const late = dilation(600);
    const none = evaluateMember({ scenario: s }, ["lvedd"], [336])[0];
    expect(early).toBeLessThan(late);
    expect(late).toBeLessThan(none + 1e-9);
  });

  it("names the field for an unknown drug", () => {
    expect(() => parseRegimen("statin=0")).toThrow(/--soc/);
  });
});

describe("both arms of a member are the same animal", () => {
  it("shares every drawn model parameter (tissue and network weights) between untreated and treated", () => {
    const scenario = Scenario.parse({
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intravenous" },
    });
    for (let i = 0; i < 5; i++) {
      const d = sampleMember({ scenario, seed: 11 }, i);
      expect(d.untreated.reactionW).toBeDefined();
      expect(d.untreated.reactionW).toEqual(d.treated.reactionW);
      expect(d.untreated.tissue).toEqual(d.treated.tissue);
      expect(d.untreated.scenario.therapy).toBeNull();
    }
  });
});
