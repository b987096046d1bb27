import { describe, expect, it } from "vitest";
import { create } from "xmlbuilder2";
import { compileNetwork } from "../../src/network/compile.ts";
import { importNetfluxFile } from "../../src/network/netflux-xlsx.ts";
import { toSbml } from "../../src/network/sbml.ts";

type El = {
  localName: string;
  childNodes: ArrayLike<El>;
  nodeType: number;
  textContent: string | null;
  getAttribute(name: string): string | null;
};
const elements = (e: El): El[] => Array.from(e.childNodes).filter((c) => c.nodeType === 1);
const find = (e: El, name: string): El[] => {
  const out: El[] = [];
  const walk = (x: El) => {
    if (x.localName === name) out.push(x);
    elements(x).forEach(walk);
  };
  walk(e);
  return out;
};

/** A MathML evaluator for the subset the exporter writes, to check the SBML against the compiled RHS. */
function evaluate(e: El, env: Map<string, number>, fns: Map<string, { args: string[]; body: El }>): number {
  const kids = elements(e);
  switch (e.localName) {
    case "math":
      return evaluate(kids[0], env, fns);
    case "ci":
      return env.get(e.textContent!.trim())!;
    case "cn":
      return Number(e.textContent!.trim());
    case "piecewise": {
      for (const piece of kids.filter((k) => k.localName === "piece")) {
        const [value, cond] = elements(piece);
        if (evaluate(cond, env, fns)) return evaluate(value, env, fns);
      }
      return evaluate(elements(kids.find((k) => k.localName === "otherwise")!)[0], env, fns);
    }
    case "apply": {
      const [head, ...rest] = kids;
      const v = rest.map((k) => evaluate(k, env, fns));
      if (head.localName === "ci") {
        const fn = fns.get(head.textContent!.trim())!;
        return evaluate(fn.body, new Map(fn.args.map((a, i) => [a, v[i]])), fns);
      }
      const ops: Record<string, (a: number[]) => number> = {
        plus: (a) => a.reduce((s, x) => s + x, 0),
        times: (a) => a.reduce((s, x) => s * x, 1),
        minus: (a) => (a.length === 1 ? -a[0] : a[0] - a[1]),
        divide: (a) => a[0] / a[1],
        power: (a) => a[0] ** a[1],
        min: (a) => Math.min(...a),
        leq: (a) => Number(a[0] <= a[1]),
        eq: (a) => Number(a[0] === a[1]),
      };
      return ops[head.localName](v);
    }
    default:
      throw new Error(`unexpected MathML element ${e.localName}`);
  }
}

describe("SBML export", () => {
  const { model } = importNetfluxFile(
    "/work/shared/netflux-models/kraeutler_betaAdrenergic_bmcsysbio2010.xlsx",
  );
  const xml = toSbml(model);
  const root = create(xml).root().node as unknown as El;

  it("is well-formed SBML L3V2 with one rateRule per species and the expected parameters", () => {
    expect(root.localName).toBe("sbml");
    expect(find(root, "rateRule")).toHaveLength(model.species.length);
    // each species: its state, tau and ymax; each reaction: W, n, EC50
    expect(find(root, "parameter")).toHaveLength(3 * model.species.length + 3 * model.reactions.length);
    expect(find(root, "functionDefinition").map((f) => f.getAttribute("id"))).toEqual([
      "nf_act",
      "nf_inhib",
      "nf_or",
    ]);
  });

  it("its rate rules evaluate to the compiled right-hand side", () => {
    const fns = new Map(
      find(root, "functionDefinition").map((f) => {
        const lambda = find(f, "lambda")[0];
        const parts = elements(lambda);
        const args = parts.filter((p) => p.localName === "bvar").map((b) => b.textContent!.trim());
        return [f.getAttribute("id")!, { args, body: parts[parts.length - 1] }];
      }),
    );
    const c = compileNetwork(model);
    model.reactions.forEach((r, j) => {
      if (r.reactants.length === 0) c.W[j] = 0.7;
    });
    const env = new Map<string, number>();
    for (const p of find(root, "parameter")) {
      env.set(p.getAttribute("id")!, Number(p.getAttribute("value")));
    }
    for (const r of model.reactions) if (r.reactants.length === 0) env.set(`W_${r.id}`, 0.7);
    const y = Float64Array.from(model.species, (_, i) => ((i * 37) % 11) / 10);
    model.species.forEach((s, i) => {
      env.set(s.id, y[i]);
    });
    const dy = new Float64Array(c.size);
    c.rhs(0, y, dy);
    for (const rule of find(root, "rateRule")) {
      const id = rule.getAttribute("variable")!;
      const v = evaluate(find(rule, "math")[0], env, fns);
      expect(v).toBeCloseTo(dy[c.index.get(id)!], 12);
    }
  });
});
