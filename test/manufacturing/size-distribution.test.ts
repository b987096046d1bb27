import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binEdges,
  fractionBetween,
  percentile,
  summarize,
} from "../../src/manufacturing/size-distribution.ts";

describe("size statistics", () => {
  const uniform = Array.from({ length: 100 }, (_, i) => ({ sizeNm: i + 0.5, particlesPerMl: 1e6 }));

  it("interpolates percentiles inside bins of a uniform 0–100 nm histogram", () => {
    expect(percentile(uniform, 0.1)).toBeCloseTo(10, 9);
    expect(percentile(uniform, 0.5)).toBeCloseTo(50, 9);
    expect(percentile(uniform, 0.9)).toBeCloseTo(90, 9);
    expect(fractionBetween(uniform, 40, 200)).toBeCloseTo(0.6, 9);
    const s = summarize(uniform);
    expect(s.concentrationPerMl).toBe(1e8);
    expect(s.span).toBeCloseTo((90 - 10) / 50, 9);
  });

  it("derives edges halfway between unequal bin centres", () => {
    expect(binEdges([10, 20, 40])).toEqual([5, 15, 30, 50]);
  });

  it("orders D10 ≤ D50 ≤ D90 ≤ the last edge for any histogram", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 3, maxLength: 60 }),
        (values) => {
          fc.pre(values.some((v) => v > 0));
          const bins = values.map((v, i) => ({ sizeNm: 5 + 10 * i, particlesPerMl: v }));
          const s = summarize(bins);
          expect(s.d10Nm).toBeLessThanOrEqual(s.d50Nm + 1e-9);
          expect(s.d50Nm).toBeLessThanOrEqual(s.d90Nm + 1e-9);
          expect(s.fraction40to200).toBeGreaterThanOrEqual(0);
          expect(s.fraction40to200).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
