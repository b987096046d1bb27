import { describe, expect, it } from "vitest";
import { luFactor, luSolve } from "../../src/solver/linalg.ts";
import { createStepper, solve, steadyState } from "../../src/solver/solve.ts";
import type { OdeSystem, SolverMethod } from "../../src/solver/types.ts";

const decay = (k: number): OdeSystem => ({
  size: 1,
  rhs: (_t, y, dy) => {
    dy[0] = -k * y[0];
  },
});

/** y' = −2t·y, y(0) = 1 → y = exp(−t²): non-autonomous, so the stiff solver's ∂f/∂t matters */
const gaussian: OdeSystem = {
  size: 1,
  rhs: (t, y, dy) => {
    dy[0] = -2 * t * y[0];
  },
};

/** error at t = 2 with a fixed step h (tolerances so loose that every step is accepted) */
function fixedStepError(method: SolverMethod, h: number): number {
  const r = solve(gaussian, [1], { method, times: [0, 2], h0: h, hMax: h, rtol: 1e6, atol: 1e6 });
  return Math.abs(r.y[1] - Math.exp(-4));
}

describe("explicit Dormand–Prince 5(4)", () => {
  it("matches exponential decay at the requested times within tolerance", () => {
    const times = [0, 0.37, 1, 2.5, 10];
    const r = solve(decay(0.7), [2], { times, rtol: 1e-8, atol: 1e-12 });
    times.forEach((t, k) => {
      expect(r.y[k]).toBeCloseTo(2 * Math.exp(-0.7 * t), 8);
    });
    expect(r.stats.rhsEvals).toBeGreaterThan(r.stats.steps * 5);
  });

  it("has order 5: halving h divides the error by about 32", () => {
    const ratio = fixedStepError("dopri5", 0.2) / fixedStepError("dopri5", 0.1);
    expect(ratio).toBeGreaterThan(20);
    expect(ratio).toBeLessThan(70);
  });

  it("dense output between steps is accurate to the tolerance", () => {
    const times = Array.from({ length: 1001 }, (_, i) => i * 0.005);
    const r = solve(gaussian, [1], { times, rtol: 1e-9, atol: 1e-12 });
    expect(r.stats.steps).toBeLessThan(300); // so most outputs were interpolated, not stepped to
    let worst = 0;
    times.forEach((t, k) => {
      worst = Math.max(worst, Math.abs(r.y[k] - Math.exp(-t * t)));
    });
    expect(worst).toBeLessThan(1e-8);
  });

  it("tighter tolerance gives a smaller error", () => {
    const err = (rtol: number) =>
      Math.abs(solve(gaussian, [1], { times: [0, 2], rtol, atol: rtol * 1e-3 }).y[1] - Math.exp(-4));
    expect(err(1e-9)).toBeLessThan(err(1e-4));
  });
});

describe("stiff Rosenbrock (Rodas4)", () => {
  it("has order 4: halving h divides the error by about 16", () => {
    const ratio = fixedStepError("rosenbrock", 0.2) / fixedStepError("rosenbrock", 0.1);
    expect(ratio).toBeGreaterThan(11);
    expect(ratio).toBeLessThan(24);
  });

  it("matches exponential decay", () => {
    const r = solve(decay(3), [1], { method: "rosenbrock", times: [0, 0.5, 1, 4], rtol: 1e-8, atol: 1e-12 });
    [0, 0.5, 1, 4].forEach((t, k) => {
      expect(r.y[k]).toBeCloseTo(Math.exp(-3 * t), 7);
    });
  });

  it("solves the Robertson problem to its published values with few steps", () => {
    const robertson: OdeSystem = {
      size: 3,
      rhs: (_t, y, dy) => {
        dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
        dy[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
        dy[2] = 3e7 * y[1] * y[1];
      },
    };
    const r = solve(robertson, [1, 0, 0], {
      method: "rosenbrock",
      times: [0, 40],
      rtol: 1e-6,
      atol: 1e-10,
      autonomous: true,
    });
    // reference at t = 40 (Hairer & Wanner, Solving ODE II, problem ROBER)
    expect(r.y[3]).toBeCloseTo(0.7158270687, 4);
    expect(r.y[4] / 9.185534764e-6).toBeCloseTo(1, 3);
    expect(r.y[5]).toBeCloseTo(0.2841637457, 4);
    expect(r.y[3] + r.y[4] + r.y[5]).toBeCloseTo(1, 8);
    expect(r.stats.steps).toBeLessThan(500);
  });

  it("crosses van der Pol μ = 1000 where the explicit method gives up", () => {
    const mu = 1000;
    const vdp: OdeSystem = {
      size: 2,
      rhs: (_t, y, dy) => {
        dy[0] = y[1];
        dy[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0];
      },
    };
    const opts = { times: [0, 3000], rtol: 1e-5, atol: 1e-8, autonomous: true, maxSteps: 20_000 };
    const r = solve(vdp, [2, 0], { ...opts, method: "rosenbrock" });
    // x'' = μ(1 − x²)x' − x: relaxation oscillation of period ≈ (3 − 2 ln 2)·μ ≈ 1614. From x = 2
    // the slow branch reaches x = 1 after μ(3/2 − ln 2) ≈ 807, jumps to −2, … the jump near t ≈ 2421
    // leaves x on the negative branch at t = 3000, where ln|x| − x²/2 = ln 2 − 2 + 0.579 gives x ≈ −1.51
    expect(r.y[2]).toBeCloseTo(-1.51, 1);
    expect(r.stats.steps).toBeLessThan(5000);
    expect(() => solve(vdp, [2, 0], { ...opts, method: "dopri5" })).toThrow(/steps/);
  });
});

describe("breakpoints and steady state", () => {
  it("resolves a step input exactly at a breakpoint", () => {
    // y' = u(t) − y with u = 1 for t ≥ 1: y(t) = 1 − exp(−(t − 1)) after the switch
    const sys: OdeSystem = {
      size: 1,
      rhs: (t, y, dy) => {
        dy[0] = (t >= 1 ? 1 : 0) - y[0];
      },
    };
    for (const method of ["dopri5", "rosenbrock"] as const) {
      const r = solve(sys, [0], { method, times: [0, 1, 1.5, 3], breakpoints: [1], rtol: 1e-9, atol: 1e-12 });
      expect(r.y[1]).toBe(0); // the step ending at the breakpoint sees the rhs from before the jump
      expect(r.y[2]).toBeCloseTo(1 - Math.exp(-0.5), method === "dopri5" ? 9 : 7);
      expect(r.y[3]).toBeCloseTo(1 - Math.exp(-2), method === "dopri5" ? 9 : 7);
    }
  });

  it("finds the steady state of a linear system and reports convergence", () => {
    // y0' = 2 − y0, y1' = y0 − 4·y1 → (2, 0.5)
    const sys: OdeSystem = {
      size: 2,
      rhs: (_t, y, dy) => {
        dy[0] = 2 - y[0];
        dy[1] = y[0] - 4 * y[1];
      },
    };
    for (const method of ["dopri5", "rosenbrock"] as const) {
      const ss = steadyState(sys, [0, 0], { method, tol: 1e-9 });
      expect(ss.converged).toBe(true);
      expect(ss.y[0]).toBeCloseTo(2, 7);
      expect(ss.y[1]).toBeCloseTo(0.5, 7);
    }
    const capped = steadyState(decay(1e-3), [1], { tMax: 10, tol: 1e-9 });
    expect(capped.converged).toBe(false);
    expect(capped.t).toBe(10);
  });

  it("rejects output times that are not ascending", () => {
    expect(() => solve(decay(1), [1], { times: [0, 2, 1] })).toThrow(/ascending/);
  });

  it("a stepper interpolates only within its last step", () => {
    const s = createStepper(decay(1), "dopri5", { rtol: 1e-10, atol: 1e-12 });
    s.reset(0, [1]);
    s.step(0.5);
    const out = new Float64Array(1);
    s.interpolate(s.t / 2, out);
    expect(out[0]).toBeCloseTo(Math.exp(-s.t / 2), 9);
  });
});

describe("dense LU", () => {
  it("solves a system that needs pivoting", () => {
    const a = Float64Array.from([0, 2, 1, 1, 1, 1, 2, 1, 3]);
    const x = [1, -2, 3];
    const b = Float64Array.from([0 * 1 + 2 * -2 + 1 * 3, 1 - 2 + 3, 2 - 2 + 9]);
    const piv = new Int32Array(3);
    expect(luFactor(a, 3, piv)).toBe(true);
    luSolve(a, 3, piv, b);
    x.forEach((v, i) => {
      expect(b[i]).toBeCloseTo(v, 12);
    });
    expect(luFactor(Float64Array.from([1, 2, 2, 4]), 2, new Int32Array(2))).toBe(false);
  });
});
