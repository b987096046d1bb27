import { describe, expect, it } from "vitest";
import { compileNetwork } from "../../src/network/compile.ts";
import { defaultNetwork, simulate } from "../../src/scenario/simulate.ts";
import { luFactor, luSolve } from "../../src/solver/linalg.ts";
import { createRosenbrock } from "../../src/solver/rosenbrock.ts";
import { compileSparseLU, minimumDegreeOrder } from "../../src/solver/sparse-lu.ts";
import type { OdeSystem, SparsePattern } from "../../src/solver/types.ts";

/** A state of the ExoMI network in the middle of an injury (every species away from its bounds). */
function midInjuryState(net: ReturnType<typeof compileNetwork>): Float64Array {
  const r = simulate({ species: "rat", injury: "permanent-ligation", therapy: null });
  const k = r.times.findIndex((t) => t >= 12);
  return Float64Array.from(r.y.subarray(k * net.size, (k + 1) * net.size));
}

describe("analytic network Jacobian", () => {
  it("matches central differences of the rhs, and clamped species have zero rows and columns", () => {
    const net = compileNetwork(defaultNetwork());
    const n = net.size;
    const y = midInjuryState(net);
    const clamped = net.index.get("AKT")!;
    net.clamp[clamped] = 0.3;
    const { rowPtr, colIdx } = net.jacobian.pattern;
    const J = new Float64Array(colIdx.length);
    net.jacobian.evaluate(5, y, J);
    const fp = new Float64Array(n);
    const fm = new Float64Array(n);
    let worst = 0;
    let compared = 0;
    for (let l = 0; l < n; l++) {
      // xⁿ has a one-sided derivative at 0, and act reaches its cap w at x = 1: differences mislead there
      if (!(y[l] > 1e-3 && y[l] < 1 - 1e-3)) continue;
      const h = 1e-6;
      const yl = y[l];
      y[l] = yl + h;
      net.rhs(5, y, fp);
      y[l] = yl - h;
      net.rhs(5, y, fm);
      y[l] = yl;
      for (let i = 0; i < n; i++) {
        const fd = (fp[i] - fm[i]) / (2 * h);
        let analytic = 0;
        for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) if (colIdx[e] === l) analytic = J[e];
        const rel = Math.abs(fd - analytic) / Math.max(1e-2, Math.abs(fd));
        worst = Math.max(worst, rel);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40 * n);
    expect(worst).toBeLessThan(1e-5);
    for (let e = rowPtr[clamped]; e < rowPtr[clamped + 1]; e++) expect(J[e]).toBe(0);
    for (let e = 0; e < colIdx.length; e++) if (colIdx[e] === clamped) expect(J[e]).toBe(0);
  });
});

describe("sparse LU", () => {
  const net = compileNetwork(defaultNetwork());
  const n = net.size;
  const pattern = net.jacobian.pattern;
  const J = new Float64Array(pattern.colIdx.length);
  net.jacobian.evaluate(5, midInjuryState(net), J);

  it("orders every row once", () => {
    const order = Array.from(minimumDegreeOrder(pattern)).sort((a, b) => a - b);
    expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it.each([1e3, 4, 0.25, 0])("solves (d·I − J)x = b like dense LU with pivoting (d = %s)", (d) => {
    const lu = compileSparseLU(pattern);
    const values = new Float64Array(lu.size);
    lu.load(J, d, values);
    expect(lu.factor(values)).toBe(true);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = Float64Array.from(b);
    lu.solve(values, x);
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      dense[i * n + i] = d;
      for (let e = pattern.rowPtr[i]; e < pattern.rowPtr[i + 1]; e++)
        dense[i * n + pattern.colIdx[e]] -= J[e];
    }
    const piv = new Int32Array(n);
    expect(luFactor(dense, n, piv)).toBe(true);
    const xd = Float64Array.from(b);
    luSolve(dense, n, piv, xd);
    for (let i = 0; i < n; i++) expect(Math.abs(x[i] - xd[i])).toBeLessThan(1e-10 * (1 + Math.abs(xd[i])));
  });

  it("reports a zero pivot instead of dividing by it", () => {
    const p: SparsePattern = {
      n: 2,
      rowPtr: Int32Array.from([0, 2, 4]),
      colIdx: Int32Array.from([0, 1, 0, 1]),
    };
    const lu = compileSparseLU(p);
    const values = new Float64Array(lu.size);
    lu.load(Float64Array.from([-1, -1, -1, -1]), 0, values); // [[1, 1], [1, 1]] is singular
    expect(lu.factor(values)).toBe(false);
  });
});

describe("Rodas4 with an analytic Jacobian", () => {
  it("takes the same steps as with finite differences on a stiff linear system, and is exact to tolerance", () => {
    // y1' = −1000 y1 + y2, y2' = −y2: y2 = e^−t, y1 → e^−t/999 after the fast transient
    const rhs = (_t: number, y: Float64Array, dy: Float64Array) => {
      dy[0] = -1000 * y[0] + y[1];
      dy[1] = -y[1];
    };
    const pattern: SparsePattern = {
      n: 2,
      rowPtr: Int32Array.from([0, 2, 3]),
      colIdx: Int32Array.from([0, 1, 1]),
    };
    const analytic: OdeSystem = {
      size: 2,
      rhs,
      jacobian: {
        pattern,
        evaluate: (_t, _y, v) => {
          v[0] = -1000;
          v[1] = 1;
          v[2] = -1;
        },
      },
    };
    const run = (sys: OdeSystem) => {
      const s = createRosenbrock(sys, { rtol: 1e-8, atol: 1e-12, autonomous: true });
      s.reset(0, Float64Array.from([1, 1]));
      while (s.t < 5) s.step(5);
      return s;
    };
    const a = run(analytic);
    const fd = run({ size: 2, rhs });
    expect(a.stats.steps).toBeLessThan(1000);
    expect(Math.abs(a.stats.steps - fd.stats.steps)).toBeLessThanOrEqual(2);
    const exact = Math.exp(-5) / 999 + (1 - 1 / 999) * Math.exp(-5000);
    expect(Math.abs(a.y[0] - exact) / exact).toBeLessThan(1e-6);
    expect(Math.abs(a.y[1] - Math.exp(-5)) / Math.exp(-5)).toBeLessThan(1e-6);
  });
});

describe("∂f/∂t of the compiled network", () => {
  it("matches a difference quotient of the rhs in time when inputs are forced", () => {
    const net = compileNetwork(defaultNetwork());
    const n = net.size;
    const y = midInjuryState(net);
    const isch = defaultNetwork().reactions.findIndex(
      (r) => r.product === "ischemia" && r.reactants.length === 0,
    );
    net.forcing = (t, W) => {
      W[isch] = 0.5 + 0.4 * Math.sin(t / 3);
    };
    const J = new Float64Array(net.jacobian.pattern.colIdx.length);
    const dT = new Float64Array(n);
    expect(net.jacobian.evaluate(2, y, J, dT)).toBe(true);
    const fp = new Float64Array(n);
    const fm = new Float64Array(n);
    net.rhs(2 + 1e-5, y, fp);
    net.rhs(2 - 1e-5, y, fm);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const fd = (fp[i] - fm[i]) / 2e-5;
      expect(Math.abs(dT[i] - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      if (Math.abs(fd) > 1e-3) moved++;
    }
    expect(moved).toBeGreaterThan(0); // ischemia itself at least
    net.forcing = null;
  });
});
