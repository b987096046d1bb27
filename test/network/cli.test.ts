import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "../../src/cli/commands/network.ts";
import { InputError } from "../../src/cli/errors.ts";
import { benchNetwork } from "../../src/network/bench.ts";
import { compileNetwork } from "../../src/network/compile.ts";
import { importNetfluxFile } from "../../src/network/netflux-xlsx.ts";

const EXAMPLE = "/work/shared/netflux-models/exampleNet.xlsx";

/** Run one command in-process (spawning the CLI costs seconds on a busy machine); returns stdout. */
async function exomi(...args: string[]): Promise<string> {
  const program = new Command("exomi").exitOverride();
  register(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
    lines.push(a.join(" "));
  });
  try {
    await program.parseAsync(["node", "exomi", ...args]);
  } finally {
    log.mockRestore();
  }
  return lines.join("\n");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("exomi simulate-model and network commands", () => {
  it("simulate-model --csv applies --set to reaction weights and species clamps", async () => {
    const out = await exomi(
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
    );
    const [header, t0, t20] = out.trim().split("\n");
    expect(header).toBe("t,C,E");
    expect(t0).toBe("0,0,0");
    const [, c, e] = t20.split(",").map(Number);
    expect(c).toBeGreaterThan(0.99); // A on drives C
    expect(e).toBeLessThan(0.05); // D clamped on blocks C & !D => E
  });

  it("an unknown node or --set target is an InputError with suggestions", async () => {
    const show = exomi("network", "show", "EE", "--model", EXAMPLE);
    await expect(show).rejects.toThrow(InputError);
    await expect(exomi("network", "show", "EE", "--model", EXAMPLE)).rejects.toThrow(
      /invalid node: "EE".*did you mean "E"/s,
    );
    await expect(exomi("simulate-model", EXAMPLE, "--set", "r9.W=1")).rejects.toThrow(
      /invalid --set id: "r9"/,
    );
  });

  it("network show lists a node's inputs and outputs", async () => {
    const out = await exomi("network", "show", "c", "--model", EXAMPLE);
    expect(out).toMatch(/inputs \(2, OR-ed\)/);
    expect(out).toMatch(/r3: A => C/);
    expect(out).toMatch(/r6: E => C/);
    expect(out).toMatch(/r5: C & !D => E/);
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
