import type { SparseJacobian, SparsePattern } from "../solver/types.ts";
import type { NetworkModel } from "./model.ts";
import { createPowerKernel } from "./powers.ts";

/**
 * A network compiled once into straight-line JavaScript over Float64Array (libRoadRunner style):
 * the generated `rhs` has no loops over the graph, no maps and no allocation. Parameters live in
 * mutable typed arrays, so callers change W, n, EC50, tau, ymax, yinit or clamps without
 * recompiling.
 *
 * Semantics are those of the MATLAB Netflux original (`Netflux2ODE.m`, `exportODE.m`):
 *   dy/dt = (ymax·f − y)/tau
 *   act(x) = w·B·xⁿ/(Kⁿ + xⁿ), capped at w;  B = (EC50ⁿ−1)/(2·EC50ⁿ−1),  K = (B−1)^(1/n)
 *   inhib(x) = w − act(x);  AND = Π terms / w^(k−1) (0 if w = 0);  OR(a, b) = a + b − a·b
 *   input `=> A` contributes w; a species with no producing reaction has f = 0.
 * Kⁿ is computed as B − 1 (the same number without a root and a power). One deliberate difference:
 * a reactant value x ≤ 0 gives act = 0, where MATLAB would produce a complex number from a tiny
 * negative overshoot of the integrator.
 */
export interface CompiledNetwork {
  readonly model: NetworkModel;
  /** number of species = length of the state vector */
  readonly size: number;
  readonly speciesIds: readonly string[];
  readonly reactionIds: readonly string[];
  /** species id → state index */
  readonly index: Map<string, number>;
  /** reaction id → parameter index */
  readonly reactionIndex: Map<string, number>;
  /** per reaction */
  readonly W: Float64Array;
  readonly n: Float64Array;
  readonly EC50: Float64Array;
  /** per species */
  readonly tau: Float64Array;
  readonly ymax: Float64Array;
  readonly yinit: Float64Array;
  /** per species: NaN = free; a number holds the species at that value (dy = 0, readers see it) */
  readonly clamp: Float64Array;
  /** called first by every rhs evaluation to drive input weights in time; must not allocate */
  forcing: ((t: number, W: Float64Array) => void) | null;
  /** how many times rhs was evaluated since compilation (or since the caller reset it) */
  rhsEvals: number;
  rhs(t: number, y: Float64Array, dy: Float64Array): void;
  /** the analytic Jacobian ∂f/∂y in sparse form, for the stiff solver and Newton's method */
  readonly jacobian: SparseJacobian;
  /** yinit with clamps applied, written into `out` (allocated if absent) */
  initialState(out?: Float64Array): Float64Array;
  /** force clamped species of `y` to their clamp value */
  applyClamps(y: Float64Array): void;
  /** copy all parameters back from the model and free every clamp */
  resetParameters(): void;
  /**
   * call after writing n or EC50 directly: B = (EC50ⁿ−1)/(2·EC50ⁿ−1) is cached and recomputed only
   * then (checking 175 reactions on every rhs call cost ~10% of it). W, tau, ymax, clamp need no call.
   */
  parametersChanged(): void;
  /** B must be recomputed before the next evaluation */
  hillDirty: boolean;
  /** the generated source of rhs, for inspection and debugging */
  readonly source: string;
}

export function compileNetwork(model: NetworkModel): CompiledNetwork {
  const speciesIds = model.species.map((s) => s.id);
  const index = new Map(speciesIds.map((id, i) => [id, i]));
  const reactionIds = model.reactions.map((r) => r.id);
  const reactionIndex = new Map(reactionIds.map((id, i) => [id, i]));
  const ns = speciesIds.length;
  const nr = reactionIds.length;
  const pattern = jacobianPattern(model, index);
  const code = generateCode(model, index, pattern);

  const compiled: CompiledNetwork = {
    model,
    size: ns,
    speciesIds,
    reactionIds,
    index,
    reactionIndex,
    W: new Float64Array(nr),
    n: new Float64Array(nr),
    EC50: new Float64Array(nr),
    tau: new Float64Array(ns),
    ymax: new Float64Array(ns),
    yinit: new Float64Array(ns),
    clamp: new Float64Array(ns).fill(Number.NaN),
    forcing: null,
    rhsEvals: 0,
    hillDirty: true,
    rhs: () => {},
    jacobian: { pattern, evaluate: () => {} },
    source: code.source,
    initialState(out = new Float64Array(ns)) {
      out.set(this.yinit);
      this.applyClamps(out);
      return out;
    },
    applyClamps(y) {
      const c = this.clamp;
      for (let i = 0; i < ns; i++) if (!Number.isNaN(c[i])) y[i] = c[i];
    },
    resetParameters() {
      model.reactions.forEach((r, i) => {
        this.W[i] = r.W;
        this.n[i] = r.n;
        this.EC50[i] = r.EC50;
      });
      model.species.forEach((s, i) => {
        this.tau[i] = s.tau;
        this.ymax[i] = s.ymax;
        this.yinit[i] = s.yinit;
      });
      this.clamp.fill(Number.NaN);
      this.hillDirty = true;
    },
    parametersChanged() {
      this.hillDirty = true;
    },
  };
  compiled.resetParameters();
  // CSR entries by column, so the Jacobian can zero the columns of clamped species
  const colStart = new Int32Array(ns + 1);
  for (let e = 0; e < pattern.colIdx.length; e++) colStart[pattern.colIdx[e] + 1]++;
  for (let l = 0; l < ns; l++) colStart[l + 1] += colStart[l];
  const next = colStart.slice(0, ns);
  const colEntries = new Int32Array(pattern.colIdx.length);
  for (let e = 0; e < pattern.colIdx.length; e++) colEntries[next[pattern.colIdx[e]]++] = e;

  const kernel = createPowerKernel(ns, code.readers);
  const factory = new Function(
    "W",
    "n",
    "EC50",
    "tau",
    "ymax",
    "clamp",
    "self",
    "readerN",
    "S",
    "P",
    "EXPONENTS",
    "powers",
    "colStart",
    "colEntries",
    code.source,
  );
  const fns = factory(
    compiled.W,
    compiled.n,
    compiled.EC50,
    compiled.tau,
    compiled.ymax,
    compiled.clamp,
    compiled,
    code.readerN,
    kernel.S,
    kernel.P,
    kernel.exponents,
    kernel.run,
    colStart,
    colEntries,
  ) as { rhs: CompiledNetwork["rhs"]; jacobian: SparseJacobian["evaluate"] };
  compiled.rhs = fns.rhs;
  (compiled as { jacobian: SparseJacobian }).jacobian = { pattern, evaluate: fns.jacobian };
  return compiled;
}

/** The sparsity pattern of ∂f/∂y in CSR form: row i holds i itself and every species its producers read. */
export function jacobianPattern(model: NetworkModel, index: Map<string, number>): SparsePattern {
  const ns = model.species.length;
  const cols: Set<number>[] = Array.from({ length: ns }, (_, i) => new Set([i]));
  for (const r of model.reactions) {
    const p = index.get(r.product);
    if (p === undefined) throw new Error(`reaction ${r.id} (${r.rule}): unknown product ${r.product}`);
    for (const x of r.reactants) {
      const l = index.get(x.species);
      if (l === undefined) throw new Error(`reaction ${r.id} (${r.rule}): unknown species ${x.species}`);
      cols[p].add(l);
    }
  }
  const rowPtr = new Int32Array(ns + 1);
  const colIdx: number[] = [];
  for (let i = 0; i < ns; i++) {
    colIdx.push(...[...cols[i]].sort((a, b) => a - b));
    rowPtr[i + 1] = colIdx.length;
  }
  return { n: ns, rowPtr, colIdx: Int32Array.from(colIdx) };
}

/** Units (a reaction, a species) per generated function: small functions are optimized by V8 in milliseconds, one
 * function of thousands of statements took seconds (and the Jacobian was never optimized). */
const CHUNK = 24;

interface GeneratedCode {
  source: string;
  /** species whose power xⁿ is computed once per call, and the reaction whose n it uses */
  readers: Int32Array;
  readerN: Int32Array;
}

/**
 * Generates rhs and jacobian as a few dozen small straight-line functions over shared typed arrays:
 * S (species values, clamps applied), P (powers xⁿ), R (reaction values), D (∂r_j/∂reactant).
 *
 * rhs: F_i = OR over the producers of i (a + b − a·b), dy_i = (ymax_i·F_i − y_i)/tau_i.
 * jacobian: with F_i = 1 − Π_j (1 − r_j),
 *   ∂f_i/∂y_l = ymax_i/tau_i · Σ_j Π_{k≠j}(1 − r_k) · ∂r_j/∂y_l  − δ_il/tau_i,
 * ∂act/∂x = w·B·(B−1)·n·x^(n−1)/(B−1+xⁿ)² below the cap (0 above it, and for x ≤ 0); an AND
 * differentiates term by term. Clamped species have zero rows and zero columns.
 */
function generateCode(
  model: NetworkModel,
  index: Map<string, number>,
  pattern: SparsePattern,
): GeneratedCode {
  const ns = model.species.length;
  const nr = model.reactions.length;
  const pos = (i: number, l: number): number => {
    for (let e = pattern.rowPtr[i]; e < pattern.rowPtr[i + 1]; e++) if (pattern.colIdx[e] === l) return e;
    throw new Error(`jacobian: (${i}, ${l}) is not in the pattern`);
  };
  // xⁿ is the costly part; reactions reading the same species usually share n, so each species'
  // power is computed once per call with the n of the first reaction that reads it, and reused
  // by every reaction whose n is (still) the same
  const firstReader = new Map<number, number>();
  model.reactions.forEach((r, j) => {
    for (const x of r.reactants) {
      const i = index.get(x.species)!;
      if (!firstReader.has(i)) firstReader.set(i, j);
    }
  });
  const dIndex: number[][] = [];
  let nd = 0;
  for (const r of model.reactions) dIndex.push(r.reactants.map(() => nd++));

  const reactionLines = (derivatives: boolean): string[] => {
    const out: string[] = [];
    model.reactions.forEach((r, j) => {
      const k = r.reactants.length;
      if (k === 0) {
        out.push(`R[${j}] = W[${j}];`);
        return;
      }
      const group: string[] = [];
      const terms: string[] = [];
      r.reactants.forEach((x, m) => {
        const i = index.get(x.species)!;
        const j0 = firstReader.get(i)!;
        const xn = j0 === j ? `P[${i}]` : `(n[${j}] === n[${j0}] ? P[${i}] : pw(S[${i}], n[${j}]))`;
        let line = `w = W[${j}]; b = B[${j}]; xn = ${xn}; u = b - 1 + xn; a = (w * b * xn) / u; `;
        line += `t${m} = ${x.negated ? "a > w ? 0 : w - a" : "a > w ? w : a"};`;
        if (derivatives) {
          // x^(n−1) = xⁿ/x for x > 0
          const d = `a > w || !(S[${i}] > 0) ? 0 : (w * b * (b - 1) * n[${j}] * (xn / S[${i}])) / (u * u)`;
          line += ` g${m} = ${x.negated ? `-(${d})` : d};`;
        }
        group.push(line);
        terms.push(`t${m}`);
      });
      if (k === 1) group.push(`R[${j}] = t0;${derivatives ? ` D[${dIndex[j][0]}] = g0;` : ""}`);
      else {
        const denom = k === 2 ? "w" : `Math.pow(w, ${k - 1})`;
        group.push(`w = W[${j}]; R[${j}] = w === 0 ? 0 : (${terms.join(" * ")}) / ${denom};`);
        if (derivatives)
          r.reactants.forEach((_, m) => {
            const others = terms.filter((_, o) => o !== m).join(" * ");
            group.push(`D[${dIndex[j][m]}] = w === 0 ? 0 : (g${m} * ${others}) / ${denom};`);
          });
      }
      // one reaction = one unit: chunks never split its terms from its value
      out.push(group.join("\n  "));
    });
    return out;
  };
  const producers: number[][] = Array.from({ length: ns }, () => []);
  model.reactions.forEach((r, j) => {
    producers[index.get(r.product)!].push(j);
  });

  const rhsLines: string[] = [];
  for (let i = 0; i < ns; i++) {
    const rs = producers[i];
    const group: string[] = [];
    let f = "0";
    if (rs.length > 0) {
      group.push(`f = R[${rs[0]}];`);
      for (const j of rs.slice(1)) group.push(`f = f + R[${j}] - f * R[${j}];`);
      f = "f";
    }
    group.push(`dy[${i}] = (c = clamp[${i}]) === c ? 0 : (ymax[${i}] * ${f} - S[${i}]) / tau[${i}];`);
    rhsLines.push(group.join(" "));
  }
  const jacLines: string[] = [];
  for (let i = 0; i < ns; i++) {
    const rs = producers[i];
    const body: string[] = [];
    if (rs.length > 0) body.push(`k = ymax[${i}] / tau[${i}];`);
    // q_j = Π_{k≠j}(1 − r_k) written out (no division: r_k may be 1)
    rs.forEach((j, a) => {
      const others = rs.filter((_, b) => b !== a).map((x) => `(1 - R[${x}])`);
      body.push(`q = k${others.length ? ` * ${others.join(" * ")}` : ""};`);
      model.reactions[j].reactants.forEach((x, m) => {
        body.push(`J[${pos(i, index.get(x.species)!)}] += q * D[${dIndex[j][m]}];`);
      });
    });
    body.push(`J[${pos(i, i)}] -= 1 / tau[${i}];`);
    jacLines.push(`if ((c = clamp[${i}]) !== c) { ${body.join(" ")} }`);
  }

  const fns: string[] = [];
  const chunked = (name: string, lines: string[], params: string, locals: string): string[] => {
    const names: string[] = [];
    for (let c = 0; c * CHUNK < lines.length; c++) {
      const fn = `${name}${c}`;
      names.push(fn);
      fns.push(
        `function ${fn}(${params}) {\n  let ${locals};\n  ${lines.slice(c * CHUNK, (c + 1) * CHUNK).join("\n  ")}\n}`,
      );
    }
    return names;
  };
  const maxK = Math.max(1, ...model.reactions.map((r) => r.reactants.length));
  const vars = (p: string) => Array.from({ length: maxK }, (_, m) => `${p}${m}`).join(", ");
  const react = chunked("react", reactionLines(false), "", `w, b, xn, u, a, ${vars("t")}`);
  const reactD = chunked("reactD", reactionLines(true), "", `w, b, xn, u, a, ${vars("t")}, ${vars("g")}`);
  const combine = chunked("combine", rhsLines, "dy", "c, f");
  const jac = chunked("jac", jacLines, "J", "c, k, q");
  // ∂f/∂t: time enters only through the forcing of input reactions (`=> A`), so
  // ∂f_i/∂t = ymax_i/tau_i · Σ_{inputs j of i} Π_{k≠j}(1 − r_k) · dW_j/dt
  const inputs: number[] = [];
  const dtLines: string[] = [];
  for (let i = 0; i < ns; i++) {
    const rs = producers[i];
    const terms: string[] = [];
    rs.forEach((j, a) => {
      if (model.reactions[j].reactants.length > 0) return;
      inputs.push(j);
      const others = rs.filter((_, b) => b !== a).map((x) => `(1 - R[${x}])`);
      terms.push(`${others.length ? `${others.join(" * ")} * ` : ""}dW[${j}]`);
    });
    if (terms.length > 0)
      dtLines.push(
        `if ((c = clamp[${i}]) !== c) dT[${i}] = (ymax[${i}] / tau[${i}]) * (${terms.join(" + ")});`,
      );
  }
  const dt = chunked("dfdt", dtLines, "dT", "c");
  const call = (names: string[], arg = "") => names.map((f) => `  ${f}(${arg});`).join("\n");

  const source = `"use strict";
const R = new Float64Array(${nr});
const D = new Float64Array(${Math.max(1, nd)}), B = new Float64Array(${nr});
// S (species values) and P (powers) are views into the Wasm power kernel's memory (powers.ts): P is
// filled by powers() for the first reader of each species; a later reader with another n uses pw,
// exp(n·ln x), about twice as fast as V8's Math.pow (relative error < 1e-13 for |n·ln x| < 700)
function pw(x, e) { return x > 0 ? Math.exp(e * Math.log(x)) : 0; }
// shared prologue: inputs at time t, B for reactions whose n or EC50 changed, species values, powers
let lastT = NaN, lastForcing = null, valid = false;
function prepare(t, y) {
  const forcing = self.forcing;
  if (forcing !== null) forcing(t, W);
  if (self.hillDirty) {
    // B from n and EC50, recomputed only after resetParameters() or parametersChanged()
    for (let j = 0; j < ${nr}; j++) {
      const e = Math.pow(EC50[j], n[j]);
      B[j] = (e - 1) / (2 * e - 1);
    }
    for (let k = 0; k < readerN.length; k++) EXPONENTS[k] = n[readerN[k]];
    self.hillDirty = false;
  }
  for (let i = 0; i < ${ns}; i++) { const c = clamp[i]; S[i] = c === c ? c : y[i]; }
  powers();
  lastT = t;
  lastForcing = forcing;
  valid = true;
}
// the stiff solver asks for the Jacobian at the point where it just evaluated the rhs (the end of
// the last step): S and P are then still current, and the powers need not be recomputed
function prepareAgain(t, y) {
  if (!valid || t !== lastT || self.forcing !== lastForcing || self.hillDirty) return prepare(t, y);
  for (let i = 0; i < ${ns}; i++) {
    const c = clamp[i];
    if ((c === c ? c : y[i]) !== S[i]) return prepare(t, y);
  }
}
${fns.join("\n")}
function rhs(t, y, dy) {
  self.rhsEvals++;
  prepare(t, y);
${call(react)}
${call(combine, "dy")}
}
const INPUTS = new Int32Array([${inputs.join(", ")}]);
const dW = new Float64Array(${nr}), Wsave = new Float64Array(${nr});
function jacobian(t, y, J, dT) {
  prepareAgain(t, y);
${call(reactD)}
  J.fill(0);
${call(jac, "J")}
  for (let l = 0; l < ${ns}; l++) {
    const c = clamp[l];
    if (c === c) for (let e = colStart[l]; e < colStart[l + 1]; e++) J[colEntries[e]] = 0;
  }
  if (dT) {
    dT.fill(0);
    const forcing = self.forcing;
    if (forcing === null) return true;
    // dW/dt of the inputs by a forward difference of the forcing alone (not of the whole rhs)
    Wsave.set(W);
    const d = 1.4901161193847656e-8 * Math.max(Math.abs(t), 1);
    forcing(t + d, W);
    for (let k = 0; k < INPUTS.length; k++) { const j = INPUTS[k]; dW[j] = (W[j] - Wsave[j]) / d; }
    W.set(Wsave);
${call(dt, "dT")}
  }
  return true;
}
return { rhs, jacobian };`;
  return {
    source,
    readers: Int32Array.from([...firstReader.keys()]),
    readerN: Int32Array.from([...firstReader.values()]),
  };
}
