import { describe, expect, it } from "vitest";
import { type DeliveryInput, type RouteId, simulateDelivery } from "../../src/delivery/index.ts";

const DOSE = 1e10;
const once = (route: RouteId, extra: Partial<DeliveryInput> = {}): DeliveryInput => ({
  species: "mouse",
  doses: [{ time_h: 0, dose_particles: DOSE, route }],
  duration_h: 168,
  ...extra,
});

describe("delivery behaviour (from parameters, not special cases)", () => {
  it("a peptide hydrogel keeps more of the dose in the heart at 7 d than intramyocardial injection", () => {
    const gel = simulateDelivery(once("peptide-hydrogel"));
    const free = simulateDelivery(once("intramyocardial"));
    expect(gel.cardiacRetentionPct(168)).toBeGreaterThan(10 * free.cardiacRetentionPct(168));
    expect(gel.cardiacRetentionPct(168)).toBeGreaterThan(20);
  });

  it("every hydrogel and patch keeps more in the heart at 3 d and 7 d than free injection", () => {
    const free = simulateDelivery(once("intramyocardial"));
    const carriers: RouteId[] = [
      "gelatin-microneedle-patch",
      "gelma-microneedle-patch",
      "peptide-hydrogel",
      "conductive-hydrogel",
      "nanofibrous-patch",
    ];
    for (const route of carriers) {
      const r = simulateDelivery(once(route));
      for (const t of [72, 168])
        expect(r.cardiacRetentionPct(t), `${route} at ${t} h`).toBeGreaterThan(free.cardiacRetentionPct(t));
    }
  });

  it("intravenous delivery puts most of the dose in liver and spleen", () => {
    const iv = simulateDelivery(once("intravenous"));
    expect(iv.liverSpleenUptakePct).toBeGreaterThan(50);
    // at 24 h liver + spleen hold more than any other tissue, and more than the heart by far
    const at24 = (c: string) => iv.amountAt(c, 24);
    const tissues = ["blood", "lungs", "infarct", "infarct_cells", "remote", "remote_cells", "rest_of_body"];
    for (const c of tissues) expect(at24("liver_spleen"), c).toBeGreaterThan(at24(c));
    expect(iv.liverSpleenPct24h).toBeGreaterThan(20 * iv.cardiacRetentionPct(24));
  });

  it("CHP raises heart exposure over plain intravenous", () => {
    const plain = simulateDelivery(once("intravenous"));
    const chp = simulateDelivery(once("intravenous", { ligands: ["CHP"] }));
    const preset = simulateDelivery(once("chp-nanovesicles"));
    expect(chp.cardiacExposure).toBeGreaterThan(1.4 * plain.cardiacExposure);
    expect(preset.cardiacExposure).toBeCloseTo(chp.cardiacExposure, 6);
    expect(chp.cardiacRetentionPct(24)).toBeGreaterThan(plain.cardiacRetentionPct(24));
  });

  it("IMTP raises infarct exposure after ischemia-reperfusion but not in an uninjured heart", () => {
    const ir = { injury: "ischemia-reperfusion" as const };
    expect(simulateDelivery(once("imtp-intravenous", ir)).cardiacExposure).toBeGreaterThan(
      1.4 * simulateDelivery(once("intravenous", ir)).cardiacExposure,
    );
    const sham = { injury: "none" as const };
    expect(simulateDelivery(once("imtp-intravenous", sham)).cardiacExposure).toBeCloseTo(
      simulateDelivery(once("intravenous", sham)).cardiacExposure,
      0,
    );
  });

  it("CP05 anchoring slows release from the conductive hydrogel", () => {
    const anchored = simulateDelivery(once("conductive-hydrogel"));
    const bare = simulateDelivery(once("conductive-hydrogel", { defaultLigands: false }));
    expect(anchored.ligands).toContain("CP05");
    expect(anchored.cardiacRetentionPct(168)).toBeGreaterThan(bare.cardiacRetentionPct(168) + 5);
    // CP05 does nothing to free intravenous exosomes
    const iv = simulateDelivery(once("intravenous"));
    const ivCp05 = simulateDelivery(once("intravenous", { ligands: ["CP05"] }));
    expect(ivCp05.cardiacExposure).toBeCloseTo(iv.cardiacExposure, 0);
    expect(ivCp05.warnings.join(" ")).toMatch(/CP05 has no effect/);
  });

  it("exposure scales linearly with dose", () => {
    for (const route of ["intravenous", "peptide-hydrogel", "in-vitro"] as RouteId[]) {
      const a = simulateDelivery(once(route));
      const b = simulateDelivery({ ...once(route), doses: [{ time_h: 0, dose_particles: 7 * DOSE, route }] });
      expect(b.cardiacExposure / a.cardiacExposure).toBeCloseTo(7, 9);
      expect(b.intracellularCargo(30) / a.intracellularCargo(30)).toBeCloseTo(7, 9);
      expect(b.cardiacRetentionPct(30)).toBeCloseTo(a.cardiacRetentionPct(30), 9);
    }
  });

  it("repeat doses superpose: three daily doses equal the sum of three single doses", () => {
    const times = [0, 24, 48];
    const repeat = simulateDelivery({
      species: "rat",
      doses: times.map((time_h) => ({ time_h, dose_particles: DOSE, route: "intravenous" as const })),
      duration_h: 120,
    });
    const singles = times.map((time_h) =>
      simulateDelivery({
        species: "rat",
        doses: [{ time_h, dose_particles: DOSE, route: "intravenous" }],
        duration_h: 120,
      }),
    );
    const sum = singles.reduce((s, r) => s + r.cardiacExposure, 0);
    expect(repeat.cardiacExposure / sum).toBeCloseTo(1, 3);
    expect(repeat.intracellularCargo(100)).toBeCloseTo(
      singles.reduce((s, r) => s + r.intracellularCargo(100), 0),
      6,
    );
  });

  it("dose timing matters: intravenous exosomes reach the infarct better early than a week after ligation", () => {
    const run = (time_h: number) =>
      simulateDelivery({
        species: "mouse",
        doses: [{ time_h, dose_particles: DOSE, route: "intravenous" }],
        duration_h: time_h + 100,
      });
    const early = run(0);
    const late = run(168);
    expect(early.cardiacExposure).toBeGreaterThan(1.2 * late.cardiacExposure);
  });

  it("ex vivo perfusion loads the heart with no liver/spleen uptake during perfusion, then discards the perfusate", () => {
    const r = simulateDelivery({
      species: "rat",
      doses: [{ time_h: 0, dose_particles: DOSE, route: "ex-vivo-perfusion" }],
      duration_h: 48,
    });
    expect(r.amountAt("liver_spleen", 1.9)).toBeLessThan(1e-3 * DOSE);
    expect(r.cardiacRetentionPct(2)).toBeGreaterThan(40);
    expect(r.amountAt("depot:ex-vivo-perfusion", 2.1)).toBe(0);
    expect(r.amountAt("liver_spleen", 24)).toBeGreaterThan(0);
  });

  it("in vitro: no pharmacokinetics, medium decays and cells take particles up", () => {
    const r = simulateDelivery({
      species: "rat",
      doses: [{ time_h: 0, dose_particles: 1e9, route: "in-vitro" }],
      duration_h: 72,
    });
    expect(r.injury).toBe("hypoxia-reoxygenation");
    expect(r.liverSpleenUptakePct).toBe(0);
    expect(r.amountAt("blood", 12)).toBe(0);
    expect(r.amountAt("depot:in-vitro", 24)).toBeLessThan(0.1 * 1e9);
    expect(r.intracellularCargo(6)).toBeGreaterThan(0);
    expect(r.intracellularCargo(6)).toBeCloseTo(r.amountAt("infarct_cells", 6) / r.cellCount, 9);
  });

  it("human parameters are flagged as extrapolated", () => {
    const h = simulateDelivery(once("intravenous", { species: "human" }));
    expect(h.extrapolated).toBe(true);
    expect(h.warnings.join(" ")).toMatch(/extrapolat/);
    expect(simulateDelivery(once("intravenous", { species: "rat" })).extrapolated).toBe(false);
  });

  it("the evaluators are cheap: 100k cargo look-ups take well under 100 ms", () => {
    const r = simulateDelivery(once("peptide-hydrogel"));
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < 100_000; i++) s += r.intracellularCargo((i % 1680) / 10);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(s).toBeGreaterThan(0);
  });
});
