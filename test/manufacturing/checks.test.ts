import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { BatchRecord } from "../../src/manufacturing/batch.ts";
import { checkMisev2023 } from "../../src/manufacturing/misev.ts";
import { classifyPurity, purityRatio } from "../../src/manufacturing/purity.ts";
import { DEFAULT_SPEC_FILE, evaluateRelease, loadReleaseSpec } from "../../src/manufacturing/release-spec.ts";
import { batchFixture } from "./fixtures.ts";

const spec = loadReleaseSpec();
const verdicts = (b: BatchRecord) =>
  Object.fromEntries(checkMisev2023(b).requirements.map((r) => [r.id, r.verdict]));
const results = (b: BatchRecord) =>
  Object.fromEntries(evaluateRelease(b, spec).results.map((r) => [r.id, r.verdict]));

describe("MISEV2023 minimal requirements", () => {
  it("a fully characterized batch meets every requirement", () => {
    const r = checkMisev2023(batchFixture("batch-pass"));
    expect(r.verdict).toBe("met");
    expect(r.requirements.every((x) => x.verdict === "met")).toBe(true);
  });

  it("a detected Golgi protein and non-conforming TEM fail", () => {
    const v = verdicts(batchFixture("batch-fail"));
    expect(v["intracellular-contaminants"]).toBe("failed");
    expect(v["single-ev-imaging"]).toBe("failed");
    expect(v["ev-transmembrane-protein"]).toBe("met");
    expect(checkMisev2023(batchFixture("batch-fail")).verdict).toBe("failed");
  });

  it("a batch with outstanding results is reported missing, not failed", () => {
    const b = batchFixture("batch-incomplete");
    const v = verdicts(b);
    expect(v["ev-cytosolic-protein"]).toBe("missing");
    expect(v["non-vesicular-co-isolates"]).toBe("missing");
    expect(v["single-ev-imaging"]).toBe("missing");
    expect(v["source-amount"]).toBe("missing");
    expect(v.quantification).toBe("missing");
    expect(v["single-particle-analysis"]).toBe("met");
    expect(checkMisev2023(b).verdict).toBe("missing");
    expect(
      checkMisev2023(batchFixture("batch-incomplete", false)).requirements.find(
        (r) => r.id === "single-particle-analysis",
      )?.verdict,
    ).toBe("missing");
  });

  it("tetraspanins tested but all absent fail the transmembrane requirement", () => {
    const b = batchFixture("batch-pass");
    const neg = BatchRecord.parse({
      ...b,
      markers: { ...b.markers, CD63: "negative", CD81: "negative", CD9: "negative" },
    });
    expect(verdicts(neg)["ev-transmembrane-protein"]).toBe("failed");
  });
});

describe("purity ratio (Webber & Clayton)", () => {
  it("classes ratios at the published thresholds", () => {
    expect(classifyPurity(3e10)).toBe("high");
    expect(classifyPurity(2.5e10)).toBe("intermediate-high");
    expect(classifyPurity(2e9)).toBe("low");
    expect(classifyPurity(1.7e9)).toBe("intermediate-low");
    expect(classifyPurity(1e9)).toBe("impure");
    expect(purityRatio(6e11, 20)?.particlesPerUg).toBe(3e10);
    expect(purityRatio(1e11, 0)).toBeNull();
  });
});

describe("release specification", () => {
  it("releases the passing batch", () => {
    const r = evaluateRelease(batchFixture("batch-pass"), spec);
    expect(r.decision).toBe("release");
    expect(r.results.filter((x) => x.verdict !== "pass")).toEqual([]);
  });

  it("rejects the failing batch for endotoxin, GM130, morphology, potency and purity", () => {
    const b = batchFixture("batch-fail");
    expect(evaluateRelease(b, spec).decision).toBe("reject");
    const v = results(b);
    expect(v.endotoxin).toBe("fail");
    expect(v["purity-gm130"]).toBe("fail");
    expect(v.morphology).toBe("fail");
    expect(v.potency).toBe("fail");
    // ZetaView size ≈2.2e11/mL over 400 µg/mL protein ≈ 5e8 p/µg: below 2e9
    expect(v["purity-ratio"]).toBe("fail");
    expect(v.sterility).toBe("pass");
  });

  it("holds the incomplete batch as incomplete, naming what is missing", () => {
    const b = batchFixture("batch-incomplete");
    const r = evaluateRelease(b, spec);
    expect(r.decision).toBe("incomplete");
    const missing = r.results.filter((x) => x.verdict === "missing").map((x) => x.id);
    expect(missing).toEqual(
      expect.arrayContaining(["mycoplasma", "identity-tsg101", "morphology", "purity-ratio"]),
    );
    expect(r.results.find((x) => x.id === "endotoxin")?.verdict).toBe("pass");
  });

  it("reads a facility's edited spec: a tighter endotoxin limit rejects the passing batch", () => {
    const raw = parseYaml(readFileSync(DEFAULT_SPEC_FILE, "utf8"));
    raw.criteria.find((c: { id: string }) => c.id === "endotoxin").max = 0.1;
    const file = join(tmpdir(), `exomi-spec-${process.pid}.yaml`);
    writeFileSync(file, stringify(raw));
    const edited = loadReleaseSpec(file);
    expect(evaluateRelease(batchFixture("batch-pass"), edited).decision).toBe("reject");
  });

  it("refuses a spec with an unknown parameter or a criterion without provenance", () => {
    const base = { name: "x", version: "1" };
    const file = join(tmpdir(), `exomi-spec-bad-${process.pid}.yaml`);
    writeFileSync(
      file,
      stringify({ ...base, criteria: [{ id: "a", parameter: "endotoxin", max: 1, source: "s" }] }),
    );
    expect(() => loadReleaseSpec(file)).toThrow(/unknown parameter/);
    writeFileSync(
      file,
      stringify({ ...base, criteria: [{ id: "a", parameter: "endotoxinEuPerMl", max: 1 }] }),
    );
    expect(() => loadReleaseSpec(file)).toThrow(/source/);
  });

  it("rejects unknown markers in a batch record and canonicalizes aliases", () => {
    const b = batchFixture("batch-pass", false);
    expect(() => BatchRecord.parse({ ...b, markers: { CD64: "positive" } })).toThrow(/unknown marker/);
    expect(BatchRecord.parse({ ...b, markers: { pdcd6ip: "positive" } }).markers).toEqual({
      ALIX: "positive",
    });
  });
});
