import { describe, expect, it } from "vitest";
import { compileNetwork } from "../../src/network/compile.ts";
import { defaultNetwork } from "../../src/scenario/simulate.ts";
import { newtonSteadyState } from "../../src/solver/newton.ts";
import { steadyState } from "../../src/solver/solve.ts";

describe("Newton steady state", () => {
  it("finds the same rest state of the ExoMI network as time integration, from a nearby start", () => {
    const net = compileNetwork(defaultNetwork());
    const nominal = steadyState(net, net.initialState(), { tMax: 5000, tol: 1e-9 }).y;
    // another parameter set (a cohort member): three weights changed, one node clamped
    net.W[net.reactionIndex.get(defaultNetwork().reactions.find((r) => r.rule === "=> PI3K")!.id)!] = 0.45;
    net.W[net.reactionIndex.get(defaultNetwork().reactions.find((r) => r.rule === "!miR_21 => PTEN")!.id)!] =
      0.75;
    net.clamp[net.index.get("APAF1")!] = 0.4;
    const start = Float64Array.from(nominal);
    net.applyClamps(start);
    const byNewton = newtonSteadyState(net, start, { tol: 1e-10, lo: 0 });
    expect(byNewton).not.toBeNull();
    const byTime = steadyState(net, start, { tMax: 10000, tol: 1e-10 }).y;
    let maxDiff = 0;
    for (let i = 0; i < net.size; i++) maxDiff = Math.max(maxDiff, Math.abs(byNewton![i] - byTime[i]));
    expect(maxDiff).toBeLessThan(1e-7);
    expect(byNewton![net.index.get("APAF1")!]).toBe(0.4);
    // and it moved: the new PI3K weight changes AKT at rest
    expect(Math.abs(byNewton![net.index.get("AKT")!] - nominal[net.index.get("AKT")!])).toBeGreaterThan(1e-3);
  });

  it("solves a small nonlinear system and reports failure as null", () => {
    // y' = 1 - y^2 has rests at ±1; from 0.5 Newton goes to +1
    const sys = {
      size: 1,
      rhs: (_t: number, y: Float64Array, dy: Float64Array) => {
        dy[0] = 1 - y[0] * y[0];
      },
    };
    expect(newtonSteadyState(sys, [0.5])![0]).toBeCloseTo(1, 12);
    // y' = 1 has no rest state
    const none = {
      size: 1,
      rhs: (_t: number, _y: Float64Array, dy: Float64Array) => {
        dy[0] = 1;
      },
    };
    expect(newtonSteadyState(none, [0])).toBeNull();
  });
});
