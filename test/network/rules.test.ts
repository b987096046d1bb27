import { describe, expect, it } from "vitest";
import { formatRule, parseRule, RuleSyntaxError } from "../../src/network/rules.ts";

describe("rule parser", () => {
  it("reads activation, inhibition, AND and input rules, whitespace tolerant", () => {
    expect(parseRule("A => B")).toEqual({
      reactants: [{ species: "A", negated: false }],
      product: "B",
      sugar: false,
    });
    expect(parseRule("  !A=>B ").reactants).toEqual([{ species: "A", negated: true }]);
    const and = parseRule("A&!B  &  C_2 => D");
    expect(and.reactants.map((r) => `${r.negated ? "!" : ""}${r.species}`)).toEqual(["A", "!B", "C_2"]);
    expect(and.product).toBe("D");
    expect(parseRule("=> ischemia")).toEqual({ reactants: [], product: "ischemia", sugar: false });
  });

  it("reads `A -| B` as `!A => B`", () => {
    const r = parseRule("miR23a_3p -| DMT1");
    expect(r.reactants).toEqual([{ species: "miR23a_3p", negated: true }]);
    expect(r.sugar).toBe(true);
    expect(formatRule(r.reactants, r.product)).toBe("!miR23a_3p => DMT1");
  });

  it("rejects -| with more than one reactant, naming the rule and position", () => {
    const bad = "A & B -| C";
    try {
      parseRule(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RuleSyntaxError);
      const e = err as RuleSyntaxError;
      expect(e.rule).toBe(bad);
      expect(e.position).toBe(6);
      expect(e.message).toContain('"A & B -| C"');
      expect(e.message).toMatch(/single reactant/);
    }
  });

  it.each([
    ["A B => C", /expected "&"/],
    ["A => ", /missing product/],
    ["A => B & C", /only one product/],
    ["A & => C", /reactant is missing/],
    ["A -> B", /unexpected character "-"|missing "=>"/],
    ["A => B => C", /more than one arrow/],
    ["A & A => B", /appears twice/],
    ["2A => B", /start with a letter/],
    ["-| B", /needs a reactant/],
  ])("rejects %s", (rule, message) => {
    expect(() => parseRule(rule)).toThrow(message);
  });

  it("accepts `+` between reactants only in the Netflux dialect (where it means AND)", () => {
    expect(() => parseRule("NE + !B1ARPG => B1AR")).toThrow(/use "&"/);
    expect(parseRule("NE + !B1ARPG => B1AR", "netflux").reactants).toHaveLength(2);
  });
});
