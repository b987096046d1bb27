import type { Tableau } from "./rosenbrock.ts";

/**
 * The vector work of one Rosenbrock step, generated per tableau and system size: each stage's
 * combinations of earlier stages, and the new solution with its error norm, as single loops with the
 * method's coefficients as literals and every earlier stage read once per element.
 *
 * Why: written as one pass per stage term (out += c·K_j), a 119-state Rodas4 step spent ~10 µs in
 * ~40 passes over the state, as much as its function evaluations; one fused loop per stage reads each
 * K_j once and keeps the sums in registers.
 */

/** The tableau data the kernels need (transformed form, see rosenbrock.ts). */
export type KernelTableau = Pick<Tableau, "name" | "stages" | "a" | "c" | "reuseF" | "m" | "e">;

/**
 * Stage s ≥ 1, before its function evaluation: u = y + Σ_{j<s} a_sj·K_j (skipped when the stage
 * reuses the previous f) and ks = Σ_{j<s} (c_sj/h)·K_j.
 */
export type StageInput = (
  u: Float64Array,
  ks: Float64Array,
  y: Float64Array,
  K: Float64Array,
  invH: number,
) => void;

/** yNew = y + Σ m_j·K_j; returns the RMS norm of Σ e_j·K_j scaled by atol + rtol·max(|y|, |yNew|). */
export type StepFinish = (
  yNew: Float64Array,
  y: Float64Array,
  K: Float64Array,
  rtol: number,
  atol: number,
) => number;

export interface StepKernels {
  /** index s (≥ 1); index 0 is unused */
  stageInput: StageInput[];
  finish: StepFinish;
}

const cache = new Map<string, StepKernels>();

/** Coefficients print as their shortest round-trip form, so the literals are the exact doubles. */
const lit = (x: number): string => (Object.is(x, -0) ? "0" : String(x));

/** Σ coef_j·k_j over the nonzero coefficients, or "0". */
function sum(coefs: readonly number[], scaled: boolean): string {
  const terms: string[] = [];
  coefs.forEach((x, j) => {
    if (x !== 0) terms.push(scaled ? `s${j} * k${j}` : `${lit(x)} * k${j}`);
  });
  return terms.length > 0 ? terms.join(" + ") : "0";
}

function loads(count: number, n: number, used: (j: number) => boolean): string {
  const out: string[] = [];
  for (let j = 0; j < count; j++) if (used(j)) out.push(`const k${j} = K[${j * n} + i];`);
  return out.join(" ");
}

function generateStage(t: KernelTableau, s: number, n: number): StageInput {
  const a = Array.from({ length: s }, (_, j) => t.a[s][j] ?? 0);
  const c = Array.from({ length: s }, (_, j) => t.c[s][j] ?? 0);
  const needU = !t.reuseF[s];
  const used = (j: number) => c[j] !== 0 || (needU && a[j] !== 0);
  const scales = c.flatMap((x, j) => (x !== 0 ? [`const s${j} = ${lit(x)} * invH;`] : [])).join(" ");
  const body = [
    loads(s, n, used),
    needU ? `u[i] = y[i] + ${sum(a, false)};` : "",
    `ks[i] = ${sum(c, true)};`,
  ].join(" ");
  const src = `"use strict";\n${scales}\nfor (let i = 0; i < ${n}; i++) { ${body} }`;
  return new Function("u", "ks", "y", "K", "invH", src) as StageInput;
}

function generateFinish(t: KernelTableau, n: number): StepFinish {
  const S = t.stages;
  const used = (j: number) => t.m[j] !== 0 || t.e[j] !== 0;
  const src = `"use strict";
let acc = 0;
for (let i = 0; i < ${n}; i++) {
  ${loads(S, n, used)}
  const yi = y[i];
  const yn = yi + ${sum(t.m, false)};
  yNew[i] = yn;
  const q = (${sum(t.e, false)}) / (atol + rtol * Math.max(Math.abs(yi), Math.abs(yn)));
  acc += q * q;
}
return ${n === 0 ? "0" : `Math.sqrt(acc / ${n})`};`;
  return new Function("yNew", "y", "K", "rtol", "atol", src) as StepFinish;
}

/** The kernels of a tableau for systems of n states (generated once per tableau and n). */
export function stepKernels(t: KernelTableau, n: number): StepKernels {
  const key = `${t.name}:${n}`;
  let k = cache.get(key);
  if (!k) {
    const stageInput: StageInput[] = [() => {}];
    for (let s = 1; s < t.stages; s++) stageInput.push(generateStage(t, s, n));
    k = { stageInput, finish: generateFinish(t, n) };
    cache.set(key, k);
  }
  return k;
}
