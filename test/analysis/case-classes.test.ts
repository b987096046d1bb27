import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildGraph, caseInputs, classifyCase } from "../../src/analysis/case-paths.ts";
import {
  contestedResults,
  loadDefaultCases,
  parseCases,
  runValidation,
  runValidationAt,
  type ValidationCase,
} from "../../src/analysis/validate.ts";
import { parseNetworkYaml } from "../../src/network/yaml-format.ts";
import { defaultNetwork } from "../../src/scenario/simulate.ts";

/** Issue 13 items 3-4: cases at their studies' times, mechanistic vs direct, contested edges. */

const model = defaultNetwork();
const cases = loadDefaultCases();
const byId = (id: string): ValidationCase => {
  const c = cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
};

describe("direct and mechanistic cases", () => {
  it("a case reading a cargo's direct target is direct (miR-19a -| SOX6)", () => {
    const p = classifyCase(model, byId("huang2020-sox6"));
    expect(p.inputs).toContain("miR_19a");
    expect(p.distance).toBe(1);
    expect(p.cls).toBe("direct");
    expect(p.path[0]).toMatchObject({ from: expect.any(String), to: "SOX6" });
  });

  it("the same readout is mechanistic when no therapy sets the cargo (the class follows the inputs)", () => {
    const untreated = {
      readout: "SOX6",
      scenario: { species: "rat" as const, injury: "permanent-ligation" as const },
      baseline: { species: "rat" as const, injury: "permanent-ligation" as const },
    };
    const p = classifyCase(model, untreated);
    expect(p.inputs).not.toContain("miR_19a");
    expect(p.inputs).toContain("ischemia");
    expect(p.distance).toBe(2); // ischemia -> cell_stress -> SOX6
    expect(p.cls).toBe("mechanistic");
  });

  it("apoptosis and LVEF cases are mechanistic", () => {
    for (const id of ["zhao2015-apoptosis", "huang2020-apoptosis", "zhao2015-lvef", "wang2025-lvef"]) {
      const p = classifyCase(model, byId(id));
      expect(p.cls, id).toBe("mechanistic");
      expect(p.distance, id).toBeGreaterThanOrEqual(2);
    }
  });

  it("the injury's own edge into the tissue model is left out unless asked for", () => {
    const lvef = byId("zhao2015-lvef");
    expect(classifyCase(model, lvef).distance).toBeGreaterThanOrEqual(2);
    const withInjury = classifyCase(model, lvef, buildGraph(model, { injuryDrivesTissue: true }));
    expect(withInjury.distance).toBe(1);
  });

  it("delivery readouts are inputs of a treated scenario (distance 0), perturbed nodes are inputs", () => {
    expect(classifyCase(model, byId("yuan2023-retention"))).toMatchObject({ distance: 0, cls: "direct" });
    const rescue = byId("liang2021-rescue-foxo3");
    expect(caseInputs(model, [rescue.scenario, rescue.baseline])).toContain("FOXO3");
    // in vitro H/R: both injury inputs are driven
    expect(caseInputs(model, [rescue.scenario])).toEqual(expect.arrayContaining(["ischemia", "reperfusion"]));
  });

  it("the default claims have both classes, and every in-scope case has one", () => {
    const rep = runValidation(cases.filter((c) => c.id.startsWith("huang2020-")));
    expect(rep.results.every((r) => r.path.cls === "direct" || r.path.cls === "mechanistic")).toBe(true);
    const { mechanistic, direct } = rep.byClass;
    expect(mechanistic.total + direct.total).toBe(rep.total);
    expect(mechanistic.agree + direct.agree).toBe(rep.agree);
    expect(direct.total).toBeGreaterThan(0);
    expect(mechanistic.total).toBeGreaterThan(0);
  });
});

describe("times", () => {
  it("every case of data/claims.yaml states where its time comes from, and in vivo defaults are day 28", () => {
    for (const c of cases) expect(c.time_basis.length, c.id).toBeGreaterThan(0);
    for (const c of cases.filter((x) => x.time_basis.startsWith("default:")))
      expect(c.time_h, c.id).toBe(672);
    const hr = cases.filter((c) => c.scenario?.injury === "hypoxia-reoxygenation");
    expect(hr.length).toBeGreaterThan(0);
    for (const c of hr) expect(c.time_basis, c.id).toMatch(/^protocol end/);
    expect(byId("zhu2021-angiogenesis").time_basis).toMatch(/^seed/);
  });

  it("the claims schema rejects a case without a time basis, naming the field", () => {
    const { time_basis: _drop, ...rest } = byId("huang2020-sox6");
    expect(() => parseCases(JSON.stringify({ cases: [rest] }), "x")).toThrow(/time_basis/);
    expect(() => parseCases(JSON.stringify({ cases: [{ ...rest, time_basis: "" }] }), "x")).toThrow(
      /time_basis/,
    );
    expect(parseCases(JSON.stringify({ cases: [{ ...rest, time_basis: "test" }] }), "x")).toHaveLength(1);
  });

  it("--at reads every case at each time: one report per time, each at that time", () => {
    const subset = cases.filter((c) => c.id.startsWith("wang2018-"));
    const reps = runValidationAt(subset, [168, 672]);
    expect(reps.map((r) => r.at)).toEqual([168, 672]);
    for (const rep of reps) {
      expect(rep.total).toBe(subset.length);
      expect(rep.results.every((r) => r.time_h === rep.at)).toBe(true);
    }
  });
});

describe("contested edges", () => {
  it("miR_125b_5p => SMAD7 carries evidence against it, and the Smad7 cases rest on it", () => {
    const edge = model.reactions.find((r) => r.rule === "miR_125b_5p => SMAD7");
    expect(edge?.against?.length).toBeGreaterThan(0);
    const rep = runValidation(
      cases.filter((c) => c.id.startsWith("wang2018-") || c.id.startsWith("huang2020-")),
    );
    const ids = contestedResults(rep.results).map((r) => r.case.id);
    expect(ids).toEqual(expect.arrayContaining(["wang2018-smad7", "wang2018-rescue"]));
    expect(ids.some((id) => id.startsWith("huang2020-"))).toBe(false);
  });

  it("without the `against` entry no case is contested", () => {
    const plain = {
      ...model,
      reactions: model.reactions.map((r) => ({ ...r, against: undefined })),
    };
    expect(classifyCase(plain, byId("wang2018-smad7")).contested).toEqual([]);
    expect(classifyCase(model, byId("wang2018-smad7")).contested.map((c) => c.rule)).toEqual([
      "miR_125b_5p => SMAD7",
    ]);
  });

  it("the network schema accepts `against` with a source and a note, and rejects one without a note", () => {
    const text = readFileSync(new URL("../../data/network.yaml", import.meta.url), "utf8");
    expect(parseNetworkYaml(text).problems).toEqual([]);
    const noNote = text.replace(
      /against: \[\{ ref: "Wang et al., 2018", note: "[^"]*" \}\]/,
      'against: [{ ref: "Wang et al., 2018" }]',
    );
    expect(noNote).not.toBe(text);
    const problems = parseNetworkYaml(noNote).problems;
    expect(problems.some((p) => p.field.includes("against"))).toBe(true);
  });
});

describe("exomi validate --at", () => {
  it("prints one agreement row per time, mechanistic and direct apart, and lists the contested cases", () => {
    const dir = mkdtempSync(join(tmpdir(), "exomi-val-"));
    const file = join(dir, "cases.json");
    writeFileSync(file, JSON.stringify({ cases: cases.filter((c) => c.id.startsWith("wang2018-")) }));
    const bin = fileURLToPath(new URL("../../bin/exomi.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [bin, "validate", "--cases", file, "--at", "168,336,672"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\s+\d+\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+$/.test(l));
    expect(rows.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([168, 336, 672]);
    for (const l of rows) expect(l).toMatch(/\/3\s/); // all three wang2018 cases in scope at each time
    expect(r.stdout).toMatch(/mechanistic/);
    expect(r.stdout).toMatch(/wang2018-smad7: miR_125b_5p => SMAD7/);
    const bad = spawnSync(process.execPath, [bin, "validate", "--cases", file, "--at", "168,x"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--at/);
  }, 120_000);
});
