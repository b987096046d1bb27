import { COMPARTMENT_INDEX, type CompiledModel } from "./model.ts";

/** Extra integrated quantities stored after the compartments in each table row. */
export const AUX = { exposure: 0, liverSpleenUptake: 1 } as const;
const N_AUX = 2;

/** Longest table kept in memory (rows); longer runs take several RK4 substeps per row. */
const MAX_ROWS = 20_000;
/** Largest step (h); the fastest rate (blood clearance, ~minutes) usually sets a smaller one. */
const MAX_STEP_H = 0.1;
/** k·h at most this: RK4 is accurate to ~1e-4 per step there and keeps the solution non-negative. */
const MAX_RATE_STEP = 0.5;

/**
 * The solution on a uniform grid 0, dt, …, horizon: row i holds the compartments (model.names) then the
 * aux integrals (exposure = ∫ infarct + infarct_cells dt, liver/spleen cumulative uptake). Values are
 * right-continuous at dose times.
 */
export interface DenseSolution {
  dt: number;
  rows: number;
  width: number;
  nCompartments: number;
  horizon: number;
  table: Float64Array;
}

/**
 * Fixed-step classical RK4 on the linear transfer system, stepping exactly to every event and grid
 * time. RK methods preserve linear invariants, so the total (including `eliminated`) stays equal to the
 * dose given so far up to rounding. No allocation inside the loop.
 */
export function integrate(model: CompiledModel, horizon: number): DenseSolution {
  const n = model.names.length;
  const width = n + N_AUX;
  const hMax = Math.min(MAX_STEP_H, MAX_RATE_STEP / Math.max(model.maxRate, 1e-12));
  const rows = Math.min(Math.ceil(horizon / hMax), MAX_ROWS) + 1;
  const dt = horizon / (rows - 1);
  const sub = Math.ceil(dt / hMax - 1e-9);
  const table = new Float64Array(rows * width);

  const { from, to, rate, setTime, liverSpleenTransfer, events } = model;
  const nT = rate.length;
  const infarct = COMPARTMENT_INDEX.infarct;
  const cells = COMPARTMENT_INDEX.infarct_cells;
  const blood = COMPARTMENT_INDEX.blood;

  const deriv = (t: number, x: Float64Array, dx: Float64Array): void => {
    setTime(t);
    dx.fill(0);
    for (let j = 0; j < nT; j++) {
      const f = rate[j] * x[from[j]];
      dx[from[j]] -= f;
      dx[to[j]] += f;
    }
    dx[n + AUX.exposure] = x[infarct] + x[cells];
    dx[n + AUX.liverSpleenUptake] = rate[liverSpleenTransfer] * x[blood];
  };

  const x = new Float64Array(width);
  const k1 = new Float64Array(width);
  const k2 = new Float64Array(width);
  const k3 = new Float64Array(width);
  const k4 = new Float64Array(width);
  const tmp = new Float64Array(width);
  const step = (t: number, h: number): void => {
    deriv(t, x, k1);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
    deriv(t + 0.5 * h, tmp, k2);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
    deriv(t + 0.5 * h, tmp, k3);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + h * k3[i];
    deriv(t + h, tmp, k4);
    for (let i = 0; i < width; i++) x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  };

  const eps = 1e-9 * Math.max(1, horizon);
  let ev = 0;
  const fireEventsUpTo = (t: number): void => {
    while (ev < events.length && events[ev].time_h <= t + eps) {
      events[ev].apply(x);
      ev++;
    }
  };

  let t = 0;
  fireEventsUpTo(0);
  table.set(x, 0);
  for (let row = 1; row < rows; row++) {
    const rowStart = (horizon * (row - 1)) / (rows - 1);
    const rowEnd = (horizon * row) / (rows - 1);
    for (let s = 1; s <= sub; s++) {
      const target = s === sub ? rowEnd : rowStart + (s * (rowEnd - rowStart)) / sub;
      while (t < target - eps) {
        let next = target;
        if (ev < events.length && events[ev].time_h < next - eps) next = events[ev].time_h;
        step(t, next - t);
        t = next;
        fireEventsUpTo(t);
      }
      t = target;
    }
    table.set(x, row * width);
  }
  return { dt, rows, width, nCompartments: n, horizon, table };
}

/** Linear interpolation of column `col` at time t (clamped to the grid). Allocation-free. */
export function interpolate(sol: DenseSolution, col: number, t: number): number {
  if (!(t > 0)) return sol.table[col];
  const pos = t / sol.dt;
  const i = Math.floor(pos);
  if (i >= sol.rows - 1) return sol.table[(sol.rows - 1) * sol.width + col];
  const f = pos - i;
  const a = sol.table[i * sol.width + col];
  const b = sol.table[(i + 1) * sol.width + col];
  return a + f * (b - a);
}
