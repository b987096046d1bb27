import { describe, expect, it } from "vitest";
import { compileNetwork } from "../../src/network/compile.ts";
import type { NetworkModel } from "../../src/network/model.ts";
import { networkSteadyState, simulateModel, speciesSeries } from "../../src/network/simulate.ts";
import { rx, sp } from "../support/model-builders.ts";

/** The normalized Hill activation written out from the Netflux paper's formulas, independently of compile.ts. */
function hill(x: number, w: number, n: number, ec50: number): number {
  const beta = (ec50 ** n - 1) / (2 * ec50 ** n - 1);
  const K = (beta - 1) ** (1 / n);
  return Math.min(w, (w * beta * x ** n) / (K ** n + x ** n));
}

/** inputs A, B; C = OR(AND(A, NOT B), B); D has no producer */
const model: NetworkModel = {
  name: "hand-checked",
  species: [sp("A", { tau: 0.5 }), sp("B"), sp("C", { tau: 2, ymax: 0.9 }), sp("D", { yinit: 0.4, tau: 4 })],
  reactions: [
    rx("r1", "=> A", { W: 0.8 }),
    rx("r2", "=> B", { W: 0.6 }),
    rx("r3", "A & !B => C", { W: 0.9 }),
    rx("r4", "B => C", { W: 0.7, n: 2, EC50: 0.4 }),
  ],
};

function hand(y: number[], W = [0.8, 0.6, 0.9, 0.7]): number[] {
  const [a, b, c, d] = y;
  const r3 = (hill(a, W[2], 1.4, 0.5) * (W[2] - hill(b, W[2], 1.4, 0.5))) / W[2];
  const r4 = hill(b, W[3], 2, 0.4);
  const fC = r3 + r4 - r3 * r4;
  return [(1 * W[0] - a) / 0.5, (1 * W[1] - b) / 1, (0.9 * fC - c) / 2, (0 - d) / 4];
}

describe("compiled Netflux right-hand side", () => {
  it("matches the derivative computed by hand (AND with inhibition, OR, inputs, no producer)", () => {
    const c = compileNetwork(model);
    const y = Float64Array.from([0.3, 0.6, 0.2, 0.4]);
    const dy = new Float64Array(4);
    c.rhs(0, y, dy);
    hand([0.3, 0.6, 0.2, 0.4]).forEach((v, i) => {
      expect(dy[i]).toBeCloseTo(v, 12);
    });
    expect(c.rhsEvals).toBe(1);
  });

  it("reaches the steady state computed by hand", () => {
    const c = compileNetwork(model);
    const ss = networkSteadyState(c, { tol: 1e-10 });
    expect(ss.converged).toBe(true);
    const [a, b] = [0.8, 0.6];
    const r3 = (hill(a, 0.9, 1.4, 0.5) * (0.9 - hill(b, 0.9, 1.4, 0.5))) / 0.9;
    const r4 = hill(b, 0.7, 2, 0.4);
    expect(ss.y[0]).toBeCloseTo(a, 8);
    expect(ss.y[1]).toBeCloseTo(b, 8);
    expect(ss.y[2]).toBeCloseTo(0.9 * (r3 + r4 - r3 * r4), 8);
    expect(ss.y[3]).toBeCloseTo(0, 6);
  });

  it("uses changed parameters without recompiling, including a changed n on a shared reactant", () => {
    const c = compileNetwork(model);
    const y = Float64Array.from([0.3, 0.6, 0.2, 0.4]);
    const dy = new Float64Array(4);
    c.rhs(0, y, dy); // B cached for the model's n and EC50
    c.W[c.reactionIndex.get("r3")!] = 0.5;
    c.n[c.reactionIndex.get("r4")!] = 3; // B is read by r3 (n = 1.4) and r4: r4 must not reuse B^1.4
    c.parametersChanged();
    c.rhs(0, y, dy);
    const r3 = (hill(0.3, 0.5, 1.4, 0.5) * (0.5 - hill(0.6, 0.5, 1.4, 0.5))) / 0.5;
    const r4 = hill(0.6, 0.7, 3, 0.4);
    expect(dy[2]).toBeCloseTo((0.9 * (r3 + r4 - r3 * r4) - 0.2) / 2, 12);
    c.resetParameters();
    c.rhs(0, y, dy);
    expect(dy[2]).toBeCloseTo(hand([0.3, 0.6, 0.2, 0.4])[2], 12);
  });

  it("caps activation at W, gives 0 for an AND with W = 0, and divides a 3-way AND by W²", () => {
    const m: NetworkModel = {
      name: "gates",
      species: [sp("X"), sp("Y"), sp("Z"), sp("P"), sp("Q")],
      reactions: [rx("a", "X => P", { W: 0.7 }), rx("b", "X & Y & !Z => Q", { W: 0.5 })],
    };
    const c = compileNetwork(m);
    const dy = new Float64Array(5);
    c.rhs(0, Float64Array.from([1.5, 0.4, 0.3, 0, 0]), dy); // X above 1: act would exceed W
    expect(dy[3]).toBeCloseTo(0.7, 12);
    const w = 0.5;
    const and3 = (hill(1.5, w, 1.4, 0.5) * hill(0.4, w, 1.4, 0.5) * (w - hill(0.3, w, 1.4, 0.5))) / w ** 2;
    expect(dy[4]).toBeCloseTo(and3, 12);
    c.W[1] = 0;
    c.rhs(0, Float64Array.from([1.5, 0.4, 0.3, 0, 0]), dy);
    expect(dy[4]).toBe(0);
  });

  it("holds a clamped species at its value and lets downstream species read it", () => {
    const c = compileNetwork(model);
    c.clamp[c.index.get("B")!] = 0; // knockout of B
    const sim = simulateModel(c, { tEnd: 60, times: [0, 60] });
    expect(speciesSeries(sim, "B")[1]).toBe(0);
    const r3 = (hill(0.8, 0.9, 1.4, 0.5) * (0.9 - hill(0, 0.9, 1.4, 0.5))) / 0.9;
    expect(speciesSeries(sim, "C")[1]).toBeCloseTo(0.9 * r3, 5);
  });

  it("calls the forcing function so input weights can change in time", () => {
    const c = compileNetwork(model);
    const ia = c.reactionIndex.get("r1")!;
    c.forcing = (t, W) => {
      W[ia] = t < 5 ? 0 : 1;
    };
    const sim = simulateModel(c, { times: [0, 5, 6, 30], breakpoints: [5] });
    const a = speciesSeries(sim, "A");
    expect(a[1]).toBeCloseTo(0, 9);
    expect(a[2]).toBeCloseTo(1 - Math.exp(-1 / 0.5), 6);
    expect(a[3]).toBeCloseTo(1, 6);
    expect(sim.stats.rhsEvals).toBeGreaterThan(0);
  });
});
