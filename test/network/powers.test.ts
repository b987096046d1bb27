import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { assemble, moduleSource } from "../../scripts/build-wasm.mjs";
import { compileNetwork } from "../../src/network/compile.ts";
import { createPowerKernel } from "../../src/network/powers.ts";
import { loadNetworkYaml } from "../../src/network/yaml-format.ts";

/** x^e for many (x, e) at once through the kernel (one reader per value). */
function kernelPowers(xs: number[], es: number[]): Float64Array {
  const readers = Int32Array.from(xs, (_, i) => i);
  const k = createPowerKernel(xs.length, readers);
  k.S.set(xs);
  k.exponents.set(es);
  k.run();
  return Float64Array.from(k.P);
}

describe("the Wasm Hill-power kernel", () => {
  it("matches x ** e to a few units in the last place over the whole positive range", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const xs: number[] = [];
    const es: number[] = [];
    for (let i = 0; i < 20000; i++) {
      // x from 1e-200 to 1e3, exponents of Netflux (n = 1.4) and beyond
      xs.push(10 ** (-200 + 203 * rnd()));
      es.push(i % 2 === 0 ? 1.4 : 0.25 + 4 * rnd());
    }
    // values near 1 and the subinterval edges, where ln x is small
    for (let i = -2000; i <= 2000; i++) {
      xs.push(1 + i * 1e-4);
      es.push(1.4);
    }
    const got = kernelPowers(xs, es);
    let worst = 0;
    xs.forEach((x, i) => {
      const ref = x ** es[i];
      if (ref < 1e-300) return; // below the kernel's exp range (flushed to 0), see the next test
      // exp(e·ln x) carries the rounding of e·ln x, |e·ln x| up to ~1800 here: ~4e-13 relative; a few ulp near x = 1
      const tol = 1e-15 * Math.max(1, Math.abs(es[i] * Math.log(x)));
      worst = Math.max(worst, Math.abs(got[i] - ref) / ref / tol);
    });
    expect(worst).toBeLessThan(1);
  });

  it("gives 0 where the JavaScript form gives 0 (x ≤ 0, NaN, subnormal, underflow) and ∞ for ∞", () => {
    const got = kernelPowers(
      [0, -0.5, Number.NaN, 1e-310, 1e-280, Number.POSITIVE_INFINITY, 1],
      [1.4, 1.4, 1.4, 1.4, 3, 1.4, 1.4],
    );
    expect(Array.from(got)).toEqual([0, 0, 0, 0, 0, Number.POSITIVE_INFINITY, 1]);
  });

  it("computes only the readers' entries", () => {
    const k = createPowerKernel(4, Int32Array.from([3, 1]));
    k.S.set([2, 3, 5, 7]);
    k.P.fill(-1);
    k.exponents.set([2, 0.5]);
    k.run();
    expect(k.P[0]).toBe(-1);
    expect(k.P[2]).toBe(-1);
    expect(k.P[3]).toBeCloseTo(49, 12);
    expect(k.P[1]).toBeCloseTo(Math.sqrt(3), 14);
  });

  it("grows its memory for networks larger than one page", () => {
    const ns = 6000;
    const k = createPowerKernel(
      ns,
      Int32Array.from({ length: ns }, (_, i) => i),
    );
    k.S.fill(0.5);
    k.exponents.fill(2);
    k.run();
    expect(k.P[ns - 1]).toBeCloseTo(0.25, 15);
  });

  it("keeps the network's rhs equal to the JavaScript exp(n·ln x) form", () => {
    const net = compileNetwork(loadNetworkYaml());
    const n = net.size;
    const y = Float64Array.from({ length: n }, (_, i) => (((i * 37) % 101) + 1) / 102);
    const dy = new Float64Array(n);
    net.rhs(1, y, dy);
    // a species with one producer, an activation by one species: its rhs written out in JavaScript
    const sole = (q: { product: string }) =>
      net.model.reactions.filter((x) => x.product === q.product).length === 1;
    const r = net.model.reactions.find((x) => x.reactants.length === 1 && !x.reactants[0].negated && sole(x));
    expect(r).toBeDefined();
    const j = net.reactionIndex.get(r!.id)!;
    const x = y[net.index.get(r!.reactants[0].species)!];
    const e = net.EC50[j] ** net.n[j];
    const B = (e - 1) / (2 * e - 1);
    const xn = x > 0 ? Math.exp(net.n[j] * Math.log(x)) : 0;
    const act = Math.min(net.W[j], (net.W[j] * B * xn) / (B - 1 + xn));
    const i = net.index.get(r!.product)!;
    const expected = (net.ymax[i] * act - y[i]) / net.tau[i];
    expect(x).toBeGreaterThan(0);
    expect(Math.abs(dy[i] - expected)).toBeLessThan(1e-13 * (1 + Math.abs(expected)));
  });

  it("is the assembly of powers.wat (run node scripts/build-wasm.mjs after editing it)", async () => {
    const committed = readFileSync(new URL("../../src/network/powers-wasm.ts", import.meta.url), "utf8");
    expect(committed).toBe(moduleSource(await assemble()));
  });
});
