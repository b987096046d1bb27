import { describe, expect, it } from "vitest";
import "../../src/scenario/all-readouts.ts";
import { readoutValue } from "../../src/scenario/readouts.ts";
import { simulate } from "../../src/scenario/simulate.ts";
import { simulateTissue, TISSUE_READOUTS, tissueParams } from "../../src/tissue/model.ts";

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
  it("rat permanent ligation: FS 50 ± 12% and LVIDd about 7.3 mm at 4 weeks (Burrell 1996)", () => {
    expect(ro(ratPL, "fractional_shortening")).toBeGreaterThan(38);
    expect(ro(ratPL, "fractional_shortening")).toBeLessThan(62);
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

describe("simulateTissue", () => {
  it("with `until` stops at the first output time at or after it, with the full course's values", () => {
    const p = tissueParams("rat");
    const full = simulateTissue(ratPLexo, p);
    for (const until of [0, 30.5, 336, 1e9]) {
      const c = simulateTissue(ratPLexo, p, { until });
      const k = ratPLexo.times.findIndex((t) => t >= until);
      expect(c.times.length).toBe(k < 0 ? ratPLexo.times.length : k + 1);
      for (const id of TISSUE_READOUTS)
        expect([...c.series[id]]).toEqual([...full.series[id].subarray(0, c.times.length)]);
    }
  });
  it("falls back to the result's name resolution when drivers are not species ids verbatim", () => {
    const ids = ratPL.speciesIds.map((id) => `${id}_`);
    const renamed = { ...ratPL, speciesIds: ids, series: (name: string) => ratPL.series(name) };
    const p = tissueParams("rat");
    expect([...simulateTissue(renamed, p).series.lvef]).toEqual([...simulateTissue(ratPL, p).series.lvef]);
  });
});
