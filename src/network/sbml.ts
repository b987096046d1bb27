import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import type { NetworkModel } from "./model.ts";

/**
 * SBML Level 3 Version 2 core export of the normalized-Hill ODEs. Each species is a non-constant
 * parameter with a `rateRule` (no compartments or mass-action reactions: the model is logic-based),
 * every W, n, EC50, tau and ymax a constant parameter, and the Netflux gates are function
 * definitions (act, inhib, OR); an AND is written inline as the product divided by W^(k−1).
 * Species ids are Netflux identifiers, which are valid SBML SIds.
 */
const SBML_NS = "http://www.sbml.org/sbml/level3/version2/core";
const MATHML_NS = "http://www.w3.org/1998/Math/MathML";

/** MathML content as a small tree: identifiers, numbers, operator or function applications. */
export type MathNode =
  | { ci: string }
  | { cn: number }
  | { apply: string; args: MathNode[]; call?: boolean }
  | { piecewise: [MathNode, MathNode][]; otherwise: MathNode };

const ci = (name: string): MathNode => ({ ci: name });
const cn = (v: number): MathNode => ({ cn: v });
const op = (name: string, ...args: MathNode[]): MathNode => ({ apply: name, args });
const call = (fn: string, ...args: MathNode[]): MathNode => ({ apply: fn, args, call: true });

export interface SbmlIds {
  species: Map<string, string>;
  reactionParam: (reactionId: string, p: "W" | "n" | "EC50") => string;
  speciesParam: (speciesId: string, p: "tau" | "ymax") => string;
}

export function toSbml(model: NetworkModel): string {
  const taken = new Set<string>(["nf_act", "nf_inhib", "nf_or"]);
  const unique = (raw: string) => {
    let id = raw.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_");
    for (let k = 2; taken.has(id); k++) id = `${raw}_${k}`.replace(/[^A-Za-z0-9_]/g, "_");
    taken.add(id);
    return id;
  };
  const sid = new Map(model.species.map((s) => [s.id, unique(s.id)]));
  const rParam = new Map<string, string>();
  const sParam = new Map<string, string>();
  for (const r of model.reactions)
    for (const p of ["W", "n", "EC50"]) rParam.set(`${r.id}.${p}`, unique(`${p}_${r.id}`));
  for (const s of model.species)
    for (const p of ["tau", "ymax"]) sParam.set(`${s.id}.${p}`, unique(`${p}_${s.id}`));

  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const sbml = doc.ele(SBML_NS, "sbml", { level: "3", version: "2" });
  const m = sbml.ele("model", { id: unique(`model_${model.name}`), name: model.name });
  if (model.timeUnit)
    m.ele("notes").ele("http://www.w3.org/1999/xhtml", "p").txt(`time unit: ${model.timeUnit}`);

  const fns = m.ele("listOfFunctionDefinitions");
  const [x, w, n, e] = [ci("x"), ci("w"), ci("n"), ci("EC50")];
  const en = op("power", e, n);
  const beta = op("divide", op("minus", en, cn(1)), op("minus", op("times", cn(2), en), cn(1)));
  const xn = op("power", x, n);
  const hill = op("divide", op("times", w, beta, xn), op("plus", op("minus", beta, cn(1)), xn));
  addFunction(fns, "nf_act", ["x", "w", "n", "EC50"], {
    piecewise: [[cn(0), op("leq", x, cn(0))]],
    otherwise: op("min", w, hill),
  });
  addFunction(fns, "nf_inhib", ["x", "w", "n", "EC50"], op("minus", w, call("nf_act", x, w, n, e)));
  addFunction(
    fns,
    "nf_or",
    ["a", "b"],
    op("minus", op("plus", ci("a"), ci("b")), op("times", ci("a"), ci("b"))),
  );

  const params = m.ele("listOfParameters");
  const param = (id: string, value: number, constant: boolean, name?: string) =>
    params.ele("parameter", {
      id,
      value: String(value),
      constant: String(constant),
      ...(name ? { name } : {}),
    });
  for (const s of model.species) {
    param(sid.get(s.id)!, s.yinit, false, s.name);
    param(sParam.get(`${s.id}.tau`)!, s.tau, true);
    param(sParam.get(`${s.id}.ymax`)!, s.ymax, true);
  }
  for (const r of model.reactions) {
    param(rParam.get(`${r.id}.W`)!, r.W, true, r.rule);
    param(rParam.get(`${r.id}.n`)!, r.n, true);
    param(rParam.get(`${r.id}.EC50`)!, r.EC50, true);
  }

  const rate = new Map<string, MathNode[]>(model.species.map((s) => [s.id, []]));
  for (const r of model.reactions) {
    const [wr, nr, er] = (["W", "n", "EC50"] as const).map((p) => ci(rParam.get(`${r.id}.${p}`)!));
    const terms = r.reactants.map((a) =>
      call(a.negated ? "nf_inhib" : "nf_act", ci(sid.get(a.species)!), wr, nr, er),
    );
    let expr: MathNode;
    if (terms.length === 0) expr = wr;
    else if (terms.length === 1) expr = terms[0];
    else {
      expr = {
        piecewise: [[cn(0), op("eq", wr, cn(0))]],
        otherwise: op("divide", op("times", ...terms), op("power", wr, cn(terms.length - 1))),
      };
    }
    rate.get(r.product)?.push(expr);
  }
  const rules = m.ele("listOfRules");
  for (const s of model.species) {
    const producers = rate.get(s.id)!;
    const f = producers.length === 0 ? cn(0) : producers.reduce((acc, t) => call("nf_or", acc, t));
    const ymax = ci(sParam.get(`${s.id}.ymax`)!);
    const tau = ci(sParam.get(`${s.id}.tau`)!);
    const dydt = op("divide", op("minus", op("times", ymax, f), ci(sid.get(s.id)!)), tau);
    writeMath(rules.ele("rateRule", { variable: sid.get(s.id)! }).ele(MATHML_NS, "math"), dydt);
  }
  return doc.end({ prettyPrint: true });
}

function addFunction(list: XMLBuilder, id: string, args: string[], body: MathNode): void {
  const lambda = list.ele("functionDefinition", { id }).ele(MATHML_NS, "math").ele("lambda");
  for (const a of args) lambda.ele("bvar").ele("ci").txt(a);
  writeMath(lambda, body);
}

function writeMath(parent: XMLBuilder, node: MathNode): void {
  if ("ci" in node) parent.ele("ci").txt(node.ci);
  else if ("cn" in node) {
    const s = String(node.cn);
    if (s.includes("e")) {
      const [mant, exp] = s.split("e");
      parent
        .ele("cn", { type: "e-notation" })
        .txt(mant)
        .up()
        .ele("sep")
        .up()
        .txt(String(Number(exp)));
    } else parent.ele("cn").txt(s);
  } else if ("piecewise" in node) {
    const pw = parent.ele("piecewise");
    for (const [value, cond] of node.piecewise) {
      const piece = pw.ele("piece");
      writeMath(piece, value);
      writeMath(piece, cond);
    }
    writeMath(pw.ele("otherwise"), node.otherwise);
  } else {
    const apply = parent.ele("apply");
    if (node.call) apply.ele("ci").txt(node.apply);
    else apply.ele(node.apply);
    for (const a of node.args) writeMath(apply, a);
  }
}
