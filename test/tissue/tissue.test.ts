import { describe, expect, it } from "vitest";
import "../../src/scenario/all-readouts.ts";
import { readoutValue } from "../../src/scenario/readouts.ts";
import { simulate } from "../../src/scenario/simulate.ts";
import { shamFractionalShortening, teichholzEF, tissueParams } from "../../src/tissue/model.ts";

const ro = (r: ReturnType<typeof simulate>, id: string, t = 672) => readoutValue(r, id, t);
const ratPL = simulate({ species: "rat", injury: "permanent-ligation", therapy: null });
const ratIR = simulate({ species: "rat", injury: "ischemia-reperfusion", therapy: null });
const ratPLexo = simulate({
  species: "rat",
  injury: "permanent-ligation",
  therapy: { route: "intravenous" },
});

describe("untreated rodent MI falls within published ranges (research/efficacy.md)", () => {
  it("rat permanent ligation: infarct 29 ± 10% of LV at 4 weeks (Burrell 1996)", () => {
    expect(ro(ratPL, "infarct_size")).toBeGreaterThan(19);
    expect(ro(ratPL, "infarct_size")).toBeLessThan(39);
  });
  it("rat permanent ligation: FS 50 ± 12% of a sham 68 ± 9% and LVIDd about 7.3 mm at 4 weeks (Burrell 1996)", () => {
    // Burrell's FS as the MI/sham ratio 0.735 (0.55-0.92 within the SDs): the absolute sham FS
    // differs between echo methods, and the model's comes from its sham LVEF (Teichholz)
    const ratio = ro(ratPL, "fractional_shortening") / ro(ratPL, "fractional_shortening", 0);
    expect(ratio).toBeGreaterThan(0.55);
    expect(ratio).toBeLessThan(0.92);
    expect(ro(ratPL, "lvedd")).toBeGreaterThan(6.6);
    expect(ro(ratPL, "lvedd")).toBeLessThan(8.0);
  });
  it("capillary density is 30-55% below sham at 3 weeks (42% lower, rat)", () => {
    const loss = 1 - ro(ratPL, "capillary_density", 504) / ro(ratPL, "capillary_density", 0);
    expect(loss).toBeGreaterThan(0.3);
    expect(loss).toBeLessThan(0.55);
  });
  it("30-min ischemia/reperfusion gives a smaller infarct than permanent occlusion (Michael 1995)", () => {
    expect(ro(ratIR, "infarct_size")).toBeLessThan(ro(ratPL, "infarct_size"));
  });
  it("the infarct grows within days, then scar replaces it by week 3-4", () => {
    expect(ro(ratPL, "infarct_size", 72)).toBeGreaterThan(0.8 * ro(ratPL, "infarct_size"));
    expect(ro(ratPL, "collagen_fraction", 24)).toBeLessThan(2);
    expect(ro(ratPL, "collagen_fraction", 504)).toBeGreaterThan(0.6 * ro(ratPL, "infarct_size"));
  });
});

describe("native HUCMSC-Exos improve tissue outcomes through the network", () => {
  it("raise LVEF and shrink the infarct at day 28 in rat permanent ligation", () => {
    expect(ro(ratPLexo, "lvef")).toBeGreaterThan(ro(ratPL, "lvef"));
    expect(ro(ratPLexo, "infarct_size")).toBeLessThan(ro(ratPL, "infarct_size"));
  });
  it("raise capillary density at day 28", () => {
    expect(ro(ratPLexo, "capillary_density")).toBeGreaterThan(ro(ratPL, "capillary_density"));
  });
});

describe("one physiological state (issue 13)", () => {
  const sham = simulate({ species: "rat", injury: "none", therapy: null });
  it("FS < LVEF and LVESD < LVEDD at every output time, treated or not", () => {
    for (const r of [sham, ratPL, ratIR, ratPLexo])
      for (const t of r.times) {
        expect(ro(r, "fractional_shortening", t)).toBeLessThan(ro(r, "lvef", t));
        expect(ro(r, "lvesd", t)).toBeLessThan(ro(r, "lvedd", t));
      }
  });
  it("LVEF is the Teichholz EF of the reported diameters", () => {
    const edd = ro(ratPL, "lvedd") / 10;
    const esd = ro(ratPL, "lvesd") / 10;
    const v = (d: number) => (7 * d ** 3) / (2.4 + d);
    expect(ro(ratPL, "lvef")).toBeCloseTo(100 * (1 - v(esd) / v(edd)), 6);
    expect(teichholzEF(60, 30)).toBeGreaterThan(30);
  });
  it("sham FS is derived from sham LVEF at the sham LVEDD", () => {
    const p = tissueParams("rat");
    const fs = shamFractionalShortening(p.ef_sham, p.lvedd_sham_mm);
    expect(teichholzEF(p.lvedd_sham_mm, fs)).toBeCloseTo(p.ef_sham, 6);
    expect(ro(sham, "lvef")).toBeCloseTo(p.ef_sham, 3);
  });
  it("infarct size never exceeds the area at risk", () => {
    for (const r of [ratPL, ratIR, ratPLexo])
      for (const t of r.times) expect(ro(r, "infarct_size", t)).toBeLessThanOrEqual(ro(r, "area_at_risk", t));
  });
  it("I/R infarct grows with ischemia time and stays below permanent ligation", () => {
    const is = [0.5, 1, 3].map((h) =>
      ro(simulate({ species: "rat", injury: "ischemia-reperfusion", ischemia_h: h }), "infarct_size"),
    );
    expect(is[0]).toBeLessThan(is[1]);
    expect(is[1]).toBeLessThan(is[2]);
    expect(is[2]).toBeLessThan(ro(ratPL, "infarct_size"));
  });
  it("capillaries stay below the carrying capacity under sustained local delivery of an angiogenic design", () => {
    const p = tissueParams("rat");
    const r = simulate({
      species: "rat",
      injury: "permanent-ligation",
      therapy: {
        engineering: [{ kind: "overexpress", gene: "MIF" }],
        doses: Array.from({ length: 6 }, (_, i) => ({
          time_h: 24 * i,
          dose_particles: 1e13,
          route: "intramyocardial",
        })),
      },
    });
    const cap = r.tissue.series.capillary_density;
    expect(Math.max(...cap)).toBeLessThanOrEqual(p.capillary_max_ratio * p.capillary_sham * (1 + 1e-6));
    // and they did grow: the bound is reached from below, not avoided
    expect(Math.max(...cap)).toBeGreaterThan(p.capillary_sham);
  });
  it("what the cargo changed lasts: at day 28 the treated heart has less apoptosis and ischemia", () => {
    // the cargo has cleared by then; the difference comes through the tissue (capillaries → ischemia)
    expect(ro(ratPLexo, "apoptosis")).toBeLessThan(ro(ratPL, "apoptosis"));
    expect(ro(ratPLexo, "ischemia")).toBeLessThan(ro(ratPL, "ischemia"));
  });
  it("results do not depend on the output times asked for", () => {
    const scenario = {
      species: "rat",
      injury: "permanent-ligation",
      therapy: { route: "intravenous" },
    } as const;
    const coarse = simulate(scenario, { times: [0, 168, 672] });
    for (const id of ["lvef", "infarct_size", "capillary_density", "collagen_fraction"])
      for (const t of [168, 672]) {
        const a = ro(coarse, id, t);
        const b = ro(ratPLexo, id, t);
        expect(Math.abs(a - b)).toBeLessThan(1e-3 * Math.max(1, Math.abs(b)));
      }
  });
});
