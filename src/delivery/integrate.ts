import { AUX, Generator, N_AUX } from "./generator.ts";
import { COMPARTMENT_INDEX, type CompiledModel } from "./model.ts";
import { RowStore } from "./rowstore.ts";
import { type DenseColumns, Segments } from "./segments.ts";

export { AUX } from "./generator.ts";

/** Longest table kept in memory (rows); longer runs take longer steps per row. */
const MAX_ROWS = 20_000;
/** Largest row spacing (h); the fastest rate (blood clearance, ~minutes) usually sets a smaller one. */
const MAX_STEP_H = 0.1;
/** Row spacing so that k·dt ≤ this for the fastest rate: linear interpolation between rows stays accurate. */
const MAX_RATE_STEP = 0.5;
/** A step containing a breakpoint is split there, and each part into this many Magnus pieces. */
const PARTIAL_PIECES = 2;
/** Gauss–Legendre times on [0, 1] and the commutator-free Magnus (order 4) weights. */
const G1 = 0.5 - Math.sqrt(3) / 6;
const G2 = 0.5 + Math.sqrt(3) / 6;
const CF_A1 = 0.25 + Math.sqrt(3) / 6;
const CF_A2 = 0.25 - Math.sqrt(3) / 6;

/**
 * The solution on a uniform grid 0, dt, …, horizon. A full row holds the compartments (model.names) then
 * the aux integrals (exposure = ∫ infarct + infarct_cells dt, liver/spleen cumulative uptake); values
 * are right-continuous at dose times. The first sweep computes only the states that the dense cargo
 * (`cells` = infarct_cells) and `heart` columns and the exposure depend on (blood, myocardium and its
 * cells, depots: all the Scenario reads, chiefly ~250 cargo look-ups per run), keeping those at the
 * `early` times. The other states (organs, eliminated, liver/spleen uptake) come from further sweeps on
 * first use: the whole rows around the `at` times (one sweep), or `table`, every row (amountAt at
 * arbitrary times: tests, CLI). The sweeps do the same arithmetic for the states they share, so they
 * agree to the last bit.
 */
export class DenseSolution {
  /** rows around the `at` times (ascending) and their values; found and computed on first use */
  private keptRows: Int32Array | undefined;
  private kept: Float64Array | undefined;
  private full: Float64Array | undefined;

  constructor(
    readonly dt: number,
    readonly rows: number,
    readonly width: number,
    readonly nCompartments: number,
    readonly horizon: number,
    /** per row: infarct_cells (particles taken up into infarct/border-zone cells) */
    readonly cells: Float64Array,
    /** per row: the sum of model.heartStates (particles counted as in the heart) */
    readonly heart: Float64Array,
    /** columns the first sweep computed (1), its kept rows (ascending) and their values */
    private readonly computed: Uint8Array,
    private readonly earlyRows: Int32Array,
    private readonly early: Float64Array,
    private readonly at: readonly number[],
    private readonly sweepKept: (rows: Int32Array) => Float64Array,
    private readonly sweepAll: () => Float64Array,
  ) {}

  /** Every row (row-major, `width` per row); computed on first use. */
  get table(): Float64Array {
    this.full ??= this.sweepAll();
    return this.full;
  }

  /** Column `col` at grid row `row`: from a dense column, a kept row, or the full table. */
  value(col: number, row: number): number {
    const w = this.width;
    if (this.full) return this.full[row * w + col];
    if (col === CELLS) return this.cells[row];
    if (this.computed[col] === 1) {
      const e = indexIn(this.earlyRows, row);
      if (e >= 0) return this.early[e * w + col];
    }
    const k = indexIn(this.keptRowList(), row);
    return k >= 0 ? this.keptValues()[k * w + col] : this.table[row * w + col];
  }

  /** out ← every column at time t, interpolated as `interpolate` does. No allocation. */
  interpolateRow(t: number, out: Float64Array): void {
    const w = this.width;
    if (!(t > 0) || Math.floor(t / this.dt) >= this.rows - 1) {
      const r = t > 0 ? this.rows - 1 : 0;
      for (let c = 0; c < w; c++) out[c] = this.value(c, r);
      return;
    }
    const pos = t / this.dt;
    const i = Math.floor(pos);
    const f = pos - i;
    const ka = this.full ? -1 : indexIn(this.keptRowList(), i);
    const kb = this.full ? -1 : indexIn(this.keptRowList(), i + 1);
    if (ka < 0 || kb < 0) {
      for (let c = 0; c < w; c++) {
        const a = this.value(c, i);
        out[c] = a + f * (this.value(c, i + 1) - a);
      }
      return;
    }
    const A = this.keptValues();
    for (let c = 0; c < w; c++) {
      const a = A[ka * w + c];
      out[c] = a + f * (A[kb * w + c] - a);
    }
  }

  private keptRowList(): Int32Array {
    this.keptRows ??= rowsFor(this.at, this.dt, this.rows);
    return this.keptRows;
  }

  /** The whole rows around the `at` times (keptRowList order). */
  private keptValues(): Float64Array {
    this.kept ??= this.sweepKept(this.keptRowList());
    return this.kept;
  }
}

/** Index of `row` in the ascending `rows`, or −1. */
function indexIn(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] === row) return mid;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const CELLS = COMPARTMENT_INDEX.infarct_cells;

/** The grid rows (ascending, distinct) that linear interpolation at these times reads (see interpolate). */
function rowsFor(times: readonly number[], dt: number, rows: number): Int32Array {
  const wanted: number[] = [];
  for (const t of times) {
    const i = Math.floor(t / dt);
    if (!(t > 0)) wanted.push(0);
    else if (i >= rows - 1) wanted.push(rows - 1);
    else wanted.push(i, i + 1);
  }
  const sorted = Int32Array.from(wanted).sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[kept++] = sorted[i];
  return sorted.slice(0, kept);
}

/**
 * Exact-exponential propagation of the linear transfer system onto the dense grid. Between
 * breakpoints (doses, depot removals, circuit switches) the rates vary only smoothly (the permeability
 * window), so rows are grouped into segments with a frozen generator A₀; each row is then one sparse
 * product with P = exp(A₀ dt) plus a first-order correction for the varying rates (see kernel.ts and
 * segments.ts). A step that contains a breakpoint is split at it, the events fire there, and its pieces
 * are propagated directly. The grid is the same as the former fixed-step RK4's, so interpolation between
 * rows is unchanged; the row values are now within ~1e-7 of a converged solution where RK4 was off by
 * up to ~4e-3 (first minutes after a bolus, perfusion switches). Mass balance holds to rounding
 * (`eliminated` is the remainder) and the propagators are entrywise non-negative.
 *
 * Only the first sweep runs here (see DenseSolution). `at`: times where whole rows will be read
 * (output times, end of run); `early`: times where the first sweep's states will be read (exposure).
 */
export function integrate(
  model: CompiledModel,
  horizon: number,
  at: readonly number[] = [],
  early: readonly number[] = [],
): DenseSolution {
  const n = model.names.length;
  const width = n + N_AUX;
  const hMax = Math.min(MAX_STEP_H, MAX_RATE_STEP / Math.max(model.maxRate, 1e-12));
  const rows = Math.min(Math.ceil(horizon / hMax), MAX_ROWS) + 1;
  const dt = horizon / (rows - 1);
  const gen = new Generator(model);
  const computed = gen.upstreamOf([CELLS, ...model.heartStates, n + AUX.exposure]);
  const columns = new Float64Array(2 * rows);
  const dense: DenseColumns = {
    computed,
    key: computed.join(""),
    cells: columns.subarray(0, rows),
    heart: columns.subarray(rows),
  };
  const earlyRows = rowsFor(early, dt, rows);
  const first = new RowStore(width, rows, false, earlyRows);
  sweep(model, gen, horizon, rows, first, dense);
  const sweepKept = (keptRows: Int32Array): Float64Array => {
    const store = new RowStore(width, rows, false, keptRows);
    sweep(model, gen, horizon, rows, store);
    return store.captured;
  };
  const sweepAll = (): Float64Array => {
    const all = new RowStore(width, rows, true, NO_ROWS);
    sweep(model, gen, horizon, rows, all);
    return all.buffer;
  };
  return new DenseSolution(
    dt,
    rows,
    width,
    n,
    horizon,
    dense.cells,
    dense.heart,
    computed,
    earlyRows,
    first.captured,
    at,
    sweepKept,
    sweepAll,
  );
}

const NO_ROWS = new Int32Array(0);

/**
 * One pass over the grid, writing rows to `store`; with `dense` (the first sweep) only the states
 * `dense.computed`, and the dense columns.
 */
function sweep(
  model: CompiledModel,
  gen: Generator,
  horizon: number,
  rows: number,
  store: RowStore,
  dense?: DenseColumns,
): void {
  const n = model.names.length;
  const width = n + N_AUX;
  const dt = horizon / (rows - 1);
  const timeOf = (row: number) => (horizon * row) / (rows - 1);
  const { events } = model;
  const eps = 1e-9 * Math.max(1, horizon);
  const breakpoints = [...events.map((e) => e.time_h), ...model.switchTimes]
    .filter((b) => b > eps && b < horizon - eps)
    .sort((a, b) => a - b)
    .filter((b, i, all) => i === 0 || b - all[i - 1] > eps);

  const segments = new Segments(model, gen, store, dt, timeOf, dense);
  const x = new Float64Array(width);
  const compartments = x.subarray(0, n);
  let ev = 0;
  const fireEventsUpTo = (t: number): void => {
    while (ev < events.length && events[ev].time_h <= t + eps) {
      events[ev].apply(compartments);
      ev++;
    }
  };
  const heartStates = Int32Array.from(model.heartStates);
  const write = (row: number): void => {
    store.write(row, x);
    if (!dense) return;
    let h = 0;
    for (let i = 0; i < heartStates.length; i++) h += x[heartStates[i]];
    dense.heart[row] = h;
    dense.cells[row] = x[CELLS];
  };
  /**
   * x ← solution over [a, b] (no breakpoint inside) by the 4th-order commutator-free Magnus scheme:
   * per piece exp(h(α₁A(t₁) + α₂A(t₂))) then exp(h(α₂A(t₁) + α₁A(t₂))) at the Gauss times t₁, t₂.
   * (The exponential midpoint rule left ~1e-5 in the cells just after an off-grid bolus.)
   */
  const advance = (a: number, b: number): void => {
    const h = (b - a) / PARTIAL_PIECES;
    for (let p = 0; p < PARTIAL_PIECES; p++) {
      const t0 = a + p * h;
      const t1 = t0 + G1 * h;
      const t2 = t0 + G2 * h;
      gen.loadMix(t1, CF_A1, t2, CF_A2);
      gen.expmv(x, h, x);
      gen.loadMix(t1, CF_A2, t2, CF_A1);
      gen.expmv(x, h, x);
    }
  };

  fireEventsUpTo(0);
  write(0);
  let bp = 0;
  let lastBreak = 0;
  let row = 1;
  while (row < rows) {
    const tPrev = timeOf(row - 1);
    while (bp < breakpoints.length && breakpoints[bp] <= tPrev + eps) bp++;
    const next = bp < breakpoints.length ? breakpoints[bp] : Number.POSITIVE_INFINITY;
    // full steps: rows whose time does not pass the next breakpoint
    let last = row - 1;
    if (next === Number.POSITIVE_INFINITY) last = rows - 1;
    else {
      last = Math.min(rows - 1, Math.floor(((next + eps) * (rows - 1)) / horizon));
      while (last >= row && timeOf(last) > next + eps) last--;
    }
    if (last >= row) {
      segments.run(row, last, lastBreak);
      row = last + 1;
      const tLast = timeOf(last);
      if (Math.abs(tLast - next) <= eps) lastBreak = next;
      if (ev < events.length && events[ev].time_h <= tLast + eps) {
        store.read(last, x);
        fireEventsUpTo(tLast);
        write(last);
      }
      continue;
    }
    // the step to `row` contains one or more breakpoints: split there
    const tRow = timeOf(row);
    store.read(row - 1, x);
    let t = tPrev;
    while (bp < breakpoints.length && breakpoints[bp] < tRow - eps) {
      advance(t, breakpoints[bp]);
      t = breakpoints[bp];
      lastBreak = t;
      fireEventsUpTo(t);
      bp++;
    }
    advance(t, tRow);
    fireEventsUpTo(tRow);
    write(row);
    row++;
  }
}

/** Linear interpolation of column `col` at time t (clamped to the grid). Allocation-free. */
export function interpolate(sol: DenseSolution, col: number, t: number): number {
  if (!(t > 0)) return sol.value(col, 0);
  const pos = t / sol.dt;
  const i = Math.floor(pos);
  if (i >= sol.rows - 1) return sol.value(col, sol.rows - 1);
  const a = sol.value(col, i);
  return a + (pos - i) * (sol.value(col, i + 1) - a);
}
