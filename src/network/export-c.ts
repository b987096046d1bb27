import type { CompiledNetwork } from "./compile.ts";

/**
 * Export of a compiled network's right-hand side to other languages (C for SUNDIALS CVODE here,
 * Python in export-python.ts), so peers solve exactly the system ExoMI solves. The parameters in
 * force in the compiled network (W after forcing, n, EC50, tau, ymax, clamps) are baked in as
 * literals: the export is a snapshot of one scenario with constant inputs. The semantics are those
 * of compile.ts (Netflux): act = min(w·B·xⁿ/(B−1+xⁿ), w) with xⁿ = 0 for x ≤ 0, inh = w − act,
 * AND = Π/w^(k−1) (0 when w = 0), OR(a, b) = a + b − a·b, dy = (ymax·f − y)/tau, clamped dy = 0.
 */

export interface ExportTerm {
  /** index into `powers` */
  power: number;
  negated: boolean;
}

export interface ExportReaction {
  W: number;
  /** B = (EC50ⁿ − 1)/(2·EC50ⁿ − 1), computed as compile.ts does */
  B: number;
  terms: ExportTerm[];
}

/** The network as straight-line arithmetic: everything a code generator needs, nothing else. */
export interface ExportPlan {
  size: number;
  speciesIds: readonly string[];
  tau: number[];
  ymax: number[];
  /** per species: the value it is held at, or null when free */
  clamp: (number | null)[];
  /** distinct (species, exponent) pairs: each xⁿ is computed once per evaluation */
  powers: { species: number; n: number }[];
  reactions: ExportReaction[];
  /** per species: the reactions producing it, OR-ed in this order */
  producers: number[][];
}

export function exportPlan(net: CompiledNetwork): ExportPlan {
  const { model, index } = net;
  const powers: { species: number; n: number }[] = [];
  const powerKey = new Map<string, number>();
  const producers: number[][] = Array.from({ length: net.size }, () => []);
  const reactions = model.reactions.map((r, j): ExportReaction => {
    const n = net.n[j];
    const e = net.EC50[j] ** n;
    const terms = r.reactants.map((x): ExportTerm => {
      const species = index.get(x.species);
      if (species === undefined) throw new Error(`reaction ${r.id}: unknown species ${x.species}`);
      const key = `${species}:${n}`;
      let power = powerKey.get(key);
      if (power === undefined) {
        power = powers.length;
        powers.push({ species, n });
        powerKey.set(key, power);
      }
      return { power, negated: x.negated };
    });
    const p = index.get(r.product);
    if (p === undefined) throw new Error(`reaction ${r.id}: unknown product ${r.product}`);
    producers[p].push(j);
    return { W: net.W[j], B: (e - 1) / (2 * e - 1), terms };
  });
  return {
    size: net.size,
    speciesIds: net.speciesIds,
    tau: Array.from(net.tau),
    ymax: Array.from(net.ymax),
    clamp: Array.from(net.clamp, (c) => (Number.isNaN(c) ? null : c)),
    powers,
    reactions,
    producers,
  };
}

/** A double as a literal both C and Python read back to the same double. */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot export the non-finite number ${x}`);
  const s = x.toPrecision(17);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/** Reaction j's value as an expression over the power variables p<k> (a C/JS/Python-common subset). */
function reactionExpr(
  r: ExportReaction,
  lang: {
    act: (p: string, w: string, b: string) => string;
    cond: (c: string, a: string, b: string) => string;
  },
): string {
  const w = numberLiteral(r.W);
  const b = numberLiteral(r.B);
  const term = (t: ExportTerm) => {
    const a = lang.act(`p${t.power}`, w, b);
    return t.negated ? `(${w} - ${a})` : a;
  };
  if (r.terms.length === 0) return w;
  if (r.terms.length === 1) return term(r.terms[0]);
  if (r.W === 0) return "0.0";
  const product = r.terms.map(term).join(" * ");
  return `(${product}) / ${numberLiteral(r.W ** (r.terms.length - 1))}`;
}

/** Shared statement list of the rhs body; `emit` decides the syntax of each kind of line. */
export function rhsLines(
  plan: ExportPlan,
  syntax: {
    state: (i: number) => string;
    power: (k: number, s: string, n: string) => string;
    act: (p: string, w: string, b: string) => string;
    cond: (c: string, a: string, b: string) => string;
    assign: (name: string, expr: string) => string;
    out: (i: number, expr: string) => string;
  },
): string[] {
  const lines: string[] = [];
  plan.clamp.forEach((c, i) => {
    lines.push(syntax.assign(`s${i}`, c === null ? syntax.state(i) : numberLiteral(c)));
  });
  plan.powers.forEach((p, k) => {
    lines.push(syntax.power(k, `s${p.species}`, numberLiteral(p.n)));
  });
  plan.reactions.forEach((r, j) => {
    lines.push(syntax.assign(`r${j}`, reactionExpr(r, syntax)));
  });
  for (let i = 0; i < plan.size; i++) {
    if (plan.clamp[i] !== null) {
      lines.push(syntax.out(i, "0.0"));
      continue;
    }
    const rs = plan.producers[i];
    let f = rs.length === 0 ? "0.0" : `r${rs[0]}`;
    for (const j of rs.slice(1)) {
      lines.push(syntax.assign(`f${i}_${j}`, `${f} + r${j} - ${f} * r${j}`));
      f = `f${i}_${j}`;
    }
    const ymax = numberLiteral(plan.ymax[i]);
    const tau = numberLiteral(plan.tau[i]);
    lines.push(syntax.out(i, `(${ymax} * ${f} - s${i}) / ${tau}`));
  }
  return lines;
}

/**
 * The rhs as a C function with CVODE's signature (`CVRhsFn`), plus the helper it uses. `extra`
 * statements go at the end of the body, where every species value s<i> (clamps applied) is in
 * scope: the coupled network + tissue export (src/tissue/export.ts) appends the tissue equations there.
 */
export function networkRhsC(plan: ExportPlan, extra: readonly string[] = []): string {
  const body = rhsLines(plan, {
    state: (i) => `y[${i}]`,
    power: (k, s, n) => `  const double p${k} = ${s} > 0.0 ? pow(${s}, ${n}) : 0.0;`,
    act: (p, w, b) => `act(${p}, ${w}, ${b})`,
    cond: (c, a, b) => `(${c} ? ${a} : ${b})`,
    assign: (name, expr) => `  const double ${name} = ${expr};`,
    out: (i, expr) => `  dy[${i}] = ${expr};`,
  });
  return [
    "/* act(x) given xn = x^n: w*B*xn/(B-1+xn), capped at w (Netflux, as ExoMI's compile.ts) */",
    "static inline double act(double xn, double w, double b) {",
    "  const double a = (w * b * xn) / (b - 1.0 + xn);",
    "  return a > w ? w : a;",
    "}",
    "",
    "static int rhs(sunrealtype t, N_Vector yv, N_Vector dyv, void *user_data) {",
    "  (void)t; (void)user_data;",
    "  const double *y = N_VGetArrayPointer(yv);",
    "  double *dy = N_VGetArrayPointer(dyv);",
    ...body,
    ...extra,
    "  return 0;",
    "}",
  ].join("\n");
}

export interface PeerRunSpec {
  /** start state, one value per species */
  y0: ArrayLike<number>;
  /** output times (ascending, first is the start time) */
  times: readonly number[];
  rtol: number;
  atol: number;
}

const arrayC = (name: string, xs: ArrayLike<number>) =>
  `static const double ${name}[${xs.length}] = {${Array.from(xs, numberLiteral).join(", ")}};`;

/**
 * A complete C program solving the snapshot with CVODE (dense direct linear solver, Jacobian by
 * CVODE's difference quotients). Usage: `./driver [repeats] [bdf|adams]`. It times the solve only
 * (CVodeReInit + integration to the last output time, not process start or setup), repeats it and
 * prints one JSON object: median and all wall times (ms), CVODE's counters and the states at the
 * output times.
 */
export function exportNetworkC(net: CompiledNetwork, run: PeerRunSpec): string {
  const plan = exportPlan(net);
  if (run.y0.length !== plan.size)
    throw new RangeError(`y0 has ${run.y0.length} values, the network ${plan.size}`);
  return cvodeProgram(
    `Generated by ExoMI (src/network/export-c.ts) from network "${net.model.name.replace(/\*\//g, "")}": ${plan.size} species, ${plan.reactions.length} reactions.`,
    networkRhsC(plan),
    run,
  );
}

/**
 * The CVODE driver program around an exported rhs (C source defining `static int rhs(...)` as a
 * `CVRhsFn`) of run.y0.length equations; see exportNetworkC for what the program does and prints.
 */
export function cvodeProgram(comment: string, rhsC: string, run: PeerRunSpec): string {
  return `/* ${comment.replace(/\*\//g, "")} */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunlinsol/sunlinsol_dense.h>

#define NEQ ${run.y0.length}
#define NT ${run.times.length}
${arrayC("Y0", run.y0)}
${arrayC("TOUT", run.times)}
static const double RTOL = ${numberLiteral(run.rtol)};
static const double ATOL = ${numberLiteral(run.atol)};

${rhsC}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void check(int flag, const char *what) {
  if (flag < 0) { fprintf(stderr, "cvode: %s failed with flag %d\\n", what, flag); exit(1); }
}

int main(int argc, char **argv) {
  const int repeats = argc > 1 ? atoi(argv[1]) : 5;
  const int bdf = !(argc > 2 && strcmp(argv[2], "adams") == 0);
  SUNContext ctx;
  check(SUNContext_Create(NULL, &ctx), "SUNContext_Create");
  N_Vector y = N_VNew_Serial(NEQ, ctx);
  double *yd = N_VGetArrayPointer(y);
  memcpy(yd, Y0, sizeof Y0);
  void *mem = CVodeCreate(bdf ? CV_BDF : CV_ADAMS, ctx);
  check(CVodeInit(mem, rhs, TOUT[0], y), "CVodeInit");
  check(CVodeSStolerances(mem, RTOL, ATOL), "CVodeSStolerances");
  check(CVodeSetMaxNumSteps(mem, 1000000), "CVodeSetMaxNumSteps");
  SUNMatrix A = SUNDenseMatrix(NEQ, NEQ, ctx);
  SUNLinearSolver LS = SUNLinSol_Dense(y, A, ctx);
  check(CVodeSetLinearSolver(mem, LS, A), "CVodeSetLinearSolver");
  static double out[NT][NEQ];
  double *ms = malloc(sizeof(double) * (repeats > 0 ? repeats : 1));
  for (int r = 0; r < repeats; r++) {
    const double t0 = now_ms();
    memcpy(yd, Y0, sizeof Y0);
    check(CVodeReInit(mem, TOUT[0], y), "CVodeReInit");
    memcpy(out[0], Y0, sizeof Y0);
    for (int k = 1; k < NT; k++) {
      sunrealtype t;
      check(CVode(mem, TOUT[k], y, &t, CV_NORMAL), "CVode");
      memcpy(out[k], yd, sizeof Y0);
    }
    ms[r] = now_ms() - t0;
  }
  long nst = 0, nfe = 0, nfeLS = 0, nje = 0, netf = 0;
  CVodeGetNumSteps(mem, &nst);
  CVodeGetNumRhsEvals(mem, &nfe);
  CVodeGetNumLinRhsEvals(mem, &nfeLS);
  CVodeGetNumJacEvals(mem, &nje);
  CVodeGetNumErrTestFails(mem, &netf);
  double *sorted = malloc(sizeof(double) * (repeats > 0 ? repeats : 1));
  memcpy(sorted, ms, sizeof(double) * repeats);
  qsort(sorted, repeats, sizeof(double), cmp_double);
  printf("{\\"method\\":\\"%s\\",\\"repeats\\":%d,\\"ms_median\\":%.6f,\\"ms\\":[", bdf ? "BDF" : "Adams", repeats,
         repeats > 0 ? sorted[repeats / 2] : 0.0);
  for (int r = 0; r < repeats; r++) printf("%s%.6f", r ? "," : "", ms[r]);
  printf("],\\"steps\\":%ld,\\"rhs_evals\\":%ld,\\"rhs_evals_jacobian\\":%ld,\\"jacobians\\":%ld,\\"error_test_fails\\":%ld,\\"y\\":[",
         nst, nfe, nfeLS, nje, netf);
  for (int k = 0; k < NT; k++) {
    printf("%s[", k ? "," : "");
    for (int i = 0; i < NEQ; i++) printf("%s%.17g", i ? "," : "", out[k][i]);
    printf("]");
  }
  printf("]}\\n");
  free(ms); free(sorted);
  SUNLinSolFree(LS); SUNMatDestroy(A); N_VDestroy(y); CVodeFree(&mem); SUNContext_Free(&ctx);
  return 0;
}
`;
}
