import { describe, expect, it } from "vitest";
import { CALIBRATION_PATH, loadCalibrationTargets } from "../../src/analysis/calibrate.ts";
import { sampleMember } from "../../src/analysis/cohort.ts";
import { fitPosterior } from "../../src/analysis/fit.ts";
import { fromUnit, uncertainParameters } from "../../src/analysis/member.ts";
import {
  CALIBRATED_PARAMETERS,
  calibratedParameters,
  loadPosterior,
  modelValues,
  Posterior,
  staleFiles,
  targetsFingerprint,
  toUnit,
} from "../../src/analysis/posterior.ts";
import { predictiveRow, unexplainedMisses } from "../../src/analysis/report.ts";
import { formatReport } from "../../src/cli/commands/analysis.ts";
import { Scenario } from "../../src/scenario/schema.ts";

const targets = loadCalibrationTargets();

describe("calibrated parameters", () => {
  it("are uncertain parameters of the model with their documented ranges, and toUnit inverts fromUnit", () => {
    const ps = calibratedParameters();
    expect(ps.map((p) => p.id)).toEqual([...CALIBRATED_PARAMETERS]);
    for (const p of ps) {
      expect(p.lo).toBeLessThan(p.hi);
      expect(p.nominal).toBeGreaterThanOrEqual(p.lo);
      expect(p.nominal).toBeLessThanOrEqual(p.hi);
      for (const u of [0, 0.3, 1]) expect(toUnit(p, fromUnit(p, u))).toBeCloseTo(u, 10);
    }
  });
});

describe("posterior file", () => {
  it("a short real fit writes a posterior that the schema accepts, with provenance and draws in the prior", async () => {
    const few = targets.filter((t) => t.id === "mouse-pl-infarct-d1" || t.id === "rat-pl-infarct-d28");
    const post = await fitPosterior({
      targets: few,
      parameterIds: ["tau_salvage", "k_mptp"],
      seed: 5,
      walkers: 4,
      steps: 3,
      burn: 1,
      samples: 6,
      workers: 0,
    });
    const parsed = Posterior.parse(JSON.parse(JSON.stringify(post)));
    expect(parsed.draws.length).toBe(6);
    expect(parsed.provenance.seed).toBe(5);
    expect(parsed.provenance.targets_sha256).toBe(targetsFingerprint(loadCalibrationTargets()));
    // a changed observation makes the posterior stale
    const changed = targets.map((t) =>
      t.observed ? { ...t, observed: { ...t.observed, sd: t.observed.sd * 2 } } : t,
    );
    expect(targetsFingerprint(changed)).not.toBe(parsed.provenance.targets_sha256);
    expect(parsed.provenance.evaluations).toBeGreaterThan(0);
    expect(Object.keys(parsed.diagnostics.parameters)).toEqual(["tau_salvage", "k_mptp"]);
    expect(staleFiles(parsed, CALIBRATION_PATH)).toEqual([]);
    expect(() => Posterior.parse({ ...parsed, draws: [[1e9, 0.01]], log_likelihood: [0] })).toThrow();
  }, 120_000);
});

const rat = Scenario.parse({ species: "rat", injury: "permanent-ligation", therapy: { source: "hucmsc" } });
function toyPosterior(values: number[]): Posterior {
  const [p] = calibratedParameters(["tau_salvage"]);
  return {
    schema: "exomi-posterior/1",
    provenance: {
      created: "2026-01-01T00:00:00Z",
      git_commit: "test",
      git_dirty: false,
      seed: 1,
      sampler: { method: "test", walkers: 4, steps: 2, burn: 1, thin: 1, stretch_a: 2, init: "test" },
      likelihood: "test",
      targets_file: "calibration.yaml",
      targets_sha256: "0".repeat(64),
      data_sha256: {},
      evaluations: 0,
      wall_seconds: 0,
      workers: 0,
    },
    parameters: [{ ...p, prior: "uniform" }],
    draws: values.map((v) => [v]),
    log_likelihood: values.map(() => 0),
    diagnostics: { acceptance: 0.5, parameters: {} },
  };
}

describe("cohorts", () => {
  it("draw the calibrated parameters from the posterior and leave the others as without one", () => {
    const post = toyPosterior([30, 90]);
    const params = uncertainParameters(rat);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const withPost = sampleMember({ scenario: rat, seed: 3, posterior: post }, i, params);
      const without = sampleMember({ scenario: rat, seed: 3, posterior: null }, i, params);
      const tau = withPost.treated.tissue!.tau_salvage!;
      expect([30, 90]).toContain(tau);
      expect(withPost.untreated.tissue!.tau_salvage).toBe(tau);
      seen.add(tau);
      // every other parameter as without a posterior
      expect({ ...withPost.treated.tissue, tau_salvage: 0 }).toEqual({
        ...without.treated.tissue,
        tau_salvage: 0,
      });
      expect(withPost.treated.cargoK).toBe(without.treated.cargoK);
    }
    expect(seen.size).toBe(2);
    // and the draw is a function of (seed, i)
    expect(sampleMember({ scenario: rat, seed: 3, posterior: post }, 4, params)).toEqual(
      sampleMember({ scenario: rat, seed: 3, posterior: post }, 4, params),
    );
  });
});

describe("predictive report", () => {
  const obs = targets.find((t) => t.id === "rat-pl-infarct-d28")!;
  it("puts the observation sd around the model spread and judges the observed mean against it", () => {
    const row = predictiveRow(obs, [30, 31, 32]);
    expect(row.median).toBe(31);
    const sd = obs.observed!.sd;
    // the mixture's 90% interval is a little wider than median +/- 1.645 sd
    expect(row.lo).toBeLessThan(31 - 1.645 * sd);
    expect(row.lo).toBeGreaterThan(30 - 1.645 * sd);
    expect(row.hi).toBeGreaterThan(31 + 1.645 * sd);
    expect(row.hi).toBeLessThan(32 + 1.645 * sd);
    expect(row.z).toBeCloseTo((obs.observed!.mean - 31) / Math.sqrt(sd * sd + 1), 10);
    expect(row.inside).toBe(true);
    const far = predictiveRow(obs, [obs.observed!.mean + 3 * sd]);
    expect(far.inside).toBe(false);
    expect(unexplainedMisses([far])).toHaveLength(1);
  });
  it("a miss with a recorded reason is not unexplained; bounds are judged on the model median", () => {
    const mif = targets.find((t) => t.known_miss_reason)!;
    const miss = predictiveRow(mif, [50, 51]);
    expect(miss.inside).toBe(false);
    expect(unexplainedMisses([miss])).toHaveLength(0);
    const b = targets.find((t) => t.id === "native-im-iv-lvef-gain-ratio-d28")!;
    expect(predictiveRow(b, [1.2, 1.3, 1.6]).inside).toBe(true);
    const out = predictiveRow(b, [1.6, 1.7, 1.8]);
    expect(out.inside).toBe(false);
    expect(out.z).toBeCloseTo((1.7 - 1.5) / b.bound!.scale, 10);
  });
  it("prints observed ± sd, median, interval, z and the verdict for every target", () => {
    const rows = [predictiveRow(obs, [30, 31, 32]), predictiveRow(obs, [60])];
    const text = formatReport({ rows, basis: "posterior", draws: 3 }, toyPosterior([50]));
    const lines = text.split("\n");
    const inside = lines.find((l) => l.startsWith(obs.id) && l.includes("inside"))!;
    expect(inside).toMatch(/28\.00 ± 5\.00\s+31\.00\s+\[\d+\.\d+, \d+\.\d+\]\s+-0\.\d\d\s+inside/);
    expect(lines.some((l) => l.startsWith(obs.id) && /\bMISS\b/.test(l))).toBe(true);
    expect(text).toMatch(/1\/2 targets inside .* 1 unexplained: rat-pl-infarct-d28/);
  });
});

describe("posterior staleness", () => {
  it("fingerprints the data files' values, not their wording", () => {
    const yaml = `rates:\n  k: { value: 0.5, range: [0, 1], evidence: { assumption: "one wording" } }\n`;
    const reworded = yaml.replace("one wording", "another wording, with a note");
    const changed = yaml.replace("value: 0.5", "value: 0.6");
    expect(modelValues(reworded)).toBe(modelValues(yaml));
    expect(modelValues(changed)).not.toBe(modelValues(yaml));
  });
  it("the committed posterior was fitted on the model data as it is now", () => {
    const post = loadPosterior();
    expect(post).not.toBeNull();
    expect(staleFiles(post!, CALIBRATION_PATH)).toEqual([]);
  });
});
