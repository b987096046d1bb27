import type { Reactant } from "./model.ts";

/**
 * Rule strings of the network, Netflux syntax plus one piece of ExoMI sugar:
 *   `A => B`        activation            `!A => B`   inhibition
 *   `A & !B => C`   AND of reactants      `=> A`      input (value = weight W)
 *   `A -| B`        ExoMI sugar for `!A => B` (one plain reactant only)
 * The `netflux` dialect also accepts `+` between reactants: Netflux (MATLAB `xls2Netflux.m`) takes
 * every species left of `=>` as an AND reactant whatever separates them, and two published models
 * (Kraeutler 2010, Zeigler 2016) write `A + !B => C`.
 */

export interface ParsedRule {
  reactants: Reactant[];
  product: string;
  /** true when the rule used `-|` */
  sugar: boolean;
}

export type RuleDialect = "exomi" | "netflux";

/** A rule that cannot be parsed; `position` is the 0-based character index of the problem. */
export class RuleSyntaxError extends Error {
  constructor(
    readonly rule: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`rule "${rule}": ${reason} at position ${position + 1}\n  ${rule}\n  ${" ".repeat(position)}^`);
    this.name = "RuleSyntaxError";
  }
}

export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

type Token =
  | { kind: "id"; text: string; pos: number }
  | { kind: "not" | "and" | "plus" | "arrow" | "inhibit"; pos: number };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
    } else if (rule.startsWith("=>", i)) {
      tokens.push({ kind: "arrow", pos: i });
      i += 2;
    } else if (rule.startsWith("-|", i)) {
      tokens.push({ kind: "inhibit", pos: i });
      i += 2;
    } else if (c === "!") {
      tokens.push({ kind: "not", pos: i });
      i++;
    } else if (c === "&") {
      tokens.push({ kind: "and", pos: i });
      i++;
    } else if (c === "+") {
      tokens.push({ kind: "plus", pos: i });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      const m = /^[A-Za-z][A-Za-z0-9_]*/.exec(rule.slice(i))!;
      tokens.push({ kind: "id", text: m[0], pos: i });
      i += m[0].length;
    } else {
      const hint = /[0-9_]/.test(c) ? " (identifiers start with a letter)" : "";
      throw new RuleSyntaxError(rule, i, `unexpected character "${c}"${hint}`);
    }
  }
  return tokens;
}

/** Parse one rule. Throws RuleSyntaxError naming the rule and the position of the problem. */
export function parseRule(rule: string, dialect: RuleDialect = "exomi"): ParsedRule {
  const tokens = tokenize(rule);
  const arrows = tokens.filter((t) => t.kind === "arrow" || t.kind === "inhibit");
  if (arrows.length === 0) throw new RuleSyntaxError(rule, rule.length, 'missing "=>" (or "-|")');
  if (arrows.length > 1) throw new RuleSyntaxError(rule, arrows[1].pos, "more than one arrow");
  const arrow = arrows[0];
  const at = tokens.indexOf(arrow);
  const left = tokens.slice(0, at);
  const right = tokens.slice(at + 1);

  if (right.length === 0) throw new RuleSyntaxError(rule, rule.length, "missing product after the arrow");
  if (right[0].kind !== "id")
    throw new RuleSyntaxError(rule, right[0].pos, "the product must be one species");
  if (right.length > 1) throw new RuleSyntaxError(rule, right[1].pos, "only one product is allowed");
  const product = right[0].text;

  const reactants: Reactant[] = [];
  const positions: number[] = [];
  let expectReactant = true;
  let negated = false;
  for (const t of left) {
    if (expectReactant) {
      if (t.kind === "not") {
        if (negated) throw new RuleSyntaxError(rule, t.pos, 'double "!"');
        negated = true;
      } else if (t.kind === "id") {
        reactants.push({ species: t.text, negated });
        positions.push(t.pos);
        negated = false;
        expectReactant = false;
      } else {
        throw new RuleSyntaxError(rule, t.pos, "expected a species");
      }
    } else if (t.kind === "and" || (t.kind === "plus" && dialect === "netflux")) {
      expectReactant = true;
    } else if (t.kind === "plus") {
      throw new RuleSyntaxError(rule, t.pos, 'use "&" to combine reactants (AND)');
    } else {
      throw new RuleSyntaxError(rule, t.pos, 'expected "&" or the arrow');
    }
  }
  if (left.length > 0 && expectReactant) {
    throw new RuleSyntaxError(rule, arrow.pos, "a reactant is missing before the arrow");
  }

  if (arrow.kind === "inhibit") {
    if (reactants.length === 0)
      throw new RuleSyntaxError(rule, arrow.pos, '"-|" needs a reactant (inputs are "=> A")');
    if (reactants.length > 1) {
      throw new RuleSyntaxError(
        rule,
        arrow.pos,
        '"-|" takes a single reactant: Netflux has no NOT of an AND; write "!A => C" and "!B => C" (OR) or "!A & !B => C"',
      );
    }
    if (reactants[0].negated)
      throw new RuleSyntaxError(rule, left[0].pos, '"!A -| B" is a double negation; write "A => B"');
    reactants[0] = { species: reactants[0].species, negated: true };
  }
  const seen = new Set<string>();
  reactants.forEach((r, k) => {
    if (seen.has(r.species))
      throw new RuleSyntaxError(rule, positions[k], `reactant ${r.species} appears twice`);
    seen.add(r.species);
  });
  return { reactants, product, sugar: arrow.kind === "inhibit" };
}

/** The canonical Netflux text of a parsed rule: `!A & B => C`, `=> A`. */
export function formatRule(reactants: readonly Reactant[], product: string): string {
  const left = reactants.map((r) => (r.negated ? `!${r.species}` : r.species)).join(" & ");
  return left.length > 0 ? `${left} => ${product}` : `=> ${product}`;
}
