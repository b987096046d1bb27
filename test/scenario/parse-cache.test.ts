import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parse.ts";

describe("parseScenario's cache of validated scenarios", () => {
  const ok = { species: "rat", injury: "permanent-ligation", therapy: null };

  it("validates a copy of a known scenario once (worker threads receive clones)", () => {
    expect(parseScenario(structuredClone(ok))).toBe(parseScenario(structuredClone(ok)));
  });

  it("never answers inputs that only serialize like a valid one", () => {
    parseScenario(ok);
    // JSON writes NaN and ∞ as null, drops undefined and turns a Date into a string
    expect(() => parseScenario({ ...ok, therapy: Number.NaN })).toThrow();
    expect(() => parseScenario({ ...ok, duration_h: Number.POSITIVE_INFINITY })).toThrow();
    expect(() => parseScenario({ ...ok, species: new Date() })).toThrow();
  });
});
