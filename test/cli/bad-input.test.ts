import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ROUTE_IDS } from "../../src/delivery/index.ts";
import { Scenario } from "../../src/scenario/schema.ts";

/**
 * Issue 13, "Done when": an unknown route, design or species, or an out-of-range dose, exits 2 and
 * names the field, the value given and the allowed values (or range).
 */

const bin = fileURLToPath(new URL("../../bin/exomi.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "exomi-bad-"));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
let files = 0;
const scenarioFile = (content: unknown) => {
  const p = join(dir, `s${files++}.json`);
  writeFileSync(p, JSON.stringify(content));
  return p;
};
const simulateBad = (scenario: unknown) => run("simulate", scenarioFile(scenario), "--readouts", "lvef");

describe("exomi simulate on bad input exits 2, naming the field and what is allowed", () => {
  it("an unknown route, single dose or in a schedule", () => {
    const r = simulateBad({ therapy: { route: "intravenus" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid therapy.route: "intravenus"');
    expect(r.stderr).toContain(`allowed values: ${ROUTE_IDS.join(", ")}`);
    const s = simulateBad({ therapy: { doses: [{ time_h: 0, dose_particles: 1e10, route: "oral" }] } });
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('invalid therapy.doses[0].route: "oral"');
    expect(s.stderr).toContain("allowed values: intravenous, intramyocardial");
  });

  it("an unknown species", () => {
    const r = simulateBad({ species: "dog" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid species: "dog"');
    expect(r.stderr).toContain("allowed values: mouse, rat, human");
  });

  it("an unknown design: an engineering gene the cargo file lacks, or a built-in design id", () => {
    const r = simulateBad({ therapy: { engineering: [{ kind: "overexpress", gene: "FOO" }] } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid therapy.engineering[0].gene: "FOO"');
    expect(r.stderr).toMatch(/allowed values: .*MIF/);
    const d = run("compare-routes", "--design", "nativ", "--plot", join(dir, "x.svg"));
    expect(d.status).toBe(2);
    expect(d.stderr).toContain('invalid design: "nativ"');
    expect(d.stderr).toMatch(/allowed values: native, mif-overexpression/);
  });

  it("an out-of-range dose (≤ 0 or > 1e15 particles), single or scheduled", () => {
    for (const [therapy, field] of [
      [{ dose_particles: 0 }, "therapy.dose_particles"],
      [{ dose_particles: -5 }, "therapy.dose_particles"],
      [
        { doses: [{ time_h: 0, dose_particles: 1e16, route: "intravenous" }] },
        "therapy.doses[0].dose_particles",
      ],
    ] as const) {
      const r = simulateBad({ therapy });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`invalid ${field}`);
      expect(r.stderr).toContain("allowed: 0 < dose_particles ≤ 1e15");
    }
  });
});

describe("the scenario parser names the field and the allowed values", () => {
  const issue = (input: unknown) => {
    const r = Scenario.safeParse(input);
    if (r.success) throw new Error("parsed");
    return r.error.issues[0] as { path: PropertyKey[]; values?: unknown[]; message: string };
  };

  it("route, species and dose", () => {
    const route = issue({ therapy: { route: "oral" } });
    expect(route.path).toEqual(["therapy", "route"]);
    expect(route.values).toEqual([...ROUTE_IDS]);
    const species = issue({ species: "dog" });
    expect(species.path).toEqual(["species"]);
    expect(species.values).toEqual(["mouse", "rat", "human"]);
    for (const dose of [0, -1, 2e15]) {
      const d = issue({ therapy: { doses: [{ time_h: 0, dose_particles: dose, route: "intravenous" }] } });
      expect(d.path).toEqual(["therapy", "doses", 0, "dose_particles"]);
      expect(d.message).toContain("0 < dose_particles ≤ 1e15");
    }
  });
});
