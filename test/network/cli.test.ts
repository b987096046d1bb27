import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { benchNetwork } from "../../src/network/bench.ts";
import { compileNetwork } from "../../src/network/compile.ts";
import { importNetfluxFile } from "../../src/network/netflux-xlsx.ts";

const EXAMPLE = "/work/shared/netflux-models/exampleNet.xlsx";
const exomi = (...args: string[]) => spawnSync("node", ["bin/exomi.mjs", ...args], { encoding: "utf8" });

describe("exomi simulate-model and network commands", () => {
  it("simulate-model --csv applies --set to reaction weights and species clamps", () => {
    const out = execFileSync(
      "node",
      [
        "bin/exomi.mjs",
        "simulate-model",
        EXAMPLE,
        "--times",
        "0,20",
        "--set",
        "r1.W=1",
        "--set",
        "D.clamp=1",
        "--csv",
        "--species",
        "C,E",
      ],
      { encoding: "utf8" },
    );
    const [header, t0, t20] = out.trim().split("\n");
    expect(header).toBe("t,C,E");
    expect(t0).toBe("0,0,0");
    const [, c, e] = t20.split(",").map(Number);
    expect(c).toBeGreaterThan(0.99); // A on drives C
    expect(e).toBeLessThan(0.05); // D clamped on blocks C & !D => E
  });

  it("an unknown node or --set target exits 2 with suggestions", () => {
    const show = exomi("network", "show", "EE", "--model", EXAMPLE);
    expect(show.status).toBe(2);
    expect(show.stderr).toMatch(/invalid node: "EE".*did you mean "E"/s);
    const set = exomi("simulate-model", EXAMPLE, "--set", "r9.W=1");
    expect(set.status).toBe(2);
    expect(set.stderr).toMatch(/invalid --set id: "r9"/);
  });
});

describe("network micro benchmark", () => {
  it("reports time per simulation and rhs evaluations", () => {
    const r = benchNetwork(compileNetwork(importNetfluxFile(EXAMPLE).model), { repeats: 2, tEnd: 10 });
    expect(r.species).toBe(5);
    expect(r.msPerSimulation).toBeGreaterThan(0);
    expect(r.rhsEvalsPerSimulation).toBeGreaterThan(6);
    expect(r.usPerRhs).toBeGreaterThan(0);
  });
});
