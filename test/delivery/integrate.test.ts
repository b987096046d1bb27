import { describe, expect, it } from "vitest";
import { type DeliveryInput, loadDeliveryData, withOverrides } from "../../src/delivery/index.ts";
import { integrate } from "../../src/delivery/integrate.ts";
import { COMPARTMENT_INDEX, type CompiledModel, compileModel } from "../../src/delivery/model.ts";
import { normalizeInput } from "../../src/delivery/validate.ts";

/**
 * Reference: classical RK4 with many small steps on the same grid, landing on every event and switch and
 * evaluating a step's rates only inside it, so that on/off switches are not smeared.
 */
function reference(model: CompiledModel, horizon: number, rows: number, substeps: number): Float64Array {
  const n = model.names.length;
  const width = n + 2;
  const table = new Float64Array(rows * width);
  const { from, to, rate, setTime, liverSpleenTransfer, events } = model;
  const I = COMPARTMENT_INDEX;
  const f = (t: number, x: Float64Array, dx: Float64Array) => {
    setTime(t);
    dx.fill(0);
    for (let j = 0; j < rate.length; j++) {
      const v = rate[j] * x[from[j]];
      dx[from[j]] -= v;
      dx[to[j]] += v;
    }
    dx[n] = x[I.infarct] + x[I.infarct_cells];
    dx[n + 1] = rate[liverSpleenTransfer] * x[I.blood];
  };
  const x = new Float64Array(width);
  const k = Array.from({ length: 4 }, () => new Float64Array(width));
  const tmp = new Float64Array(width);
  const step = (t: number, h: number) => {
    f(t, x, k[0]);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + 0.5 * h * k[0][i];
    f(t + 0.5 * h, tmp, k[1]);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + 0.5 * h * k[1][i];
    f(t + 0.5 * h, tmp, k[2]);
    for (let i = 0; i < width; i++) tmp[i] = x[i] + h * k[2][i];
    f(t + h * (1 - 1e-9), tmp, k[3]);
    for (let i = 0; i < width; i++) x[i] += (h / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
  };
  const eps = 1e-9 * Math.max(1, horizon);
  const breaks = [...events.map((e) => e.time_h), ...model.switchTimes].sort((a, b) => a - b);
  let ev = 0;
  const fire = (t: number) => {
    while (ev < events.length && events[ev].time_h <= t + eps) events[ev++].apply(x);
  };
  let t = 0;
  fire(0);
  table.set(x, 0);
  for (let row = 1; row < rows; row++) {
    const t0 = (horizon * (row - 1)) / (rows - 1);
    const t1 = (horizon * row) / (rows - 1);
    for (let s = 1; s <= substeps; s++) {
      const target = s === substeps ? t1 : t0 + ((t1 - t0) * s) / substeps;
      while (t < target - eps) {
        const next = breaks.find((b) => b > t + eps && b < target - eps) ?? target;
        step(t, next - t);
        t = next;
        fire(t);
      }
      t = target;
    }
    table.set(x, row * width);
  }
  return table;
}

function setup(input: DeliveryInput, parameters?: Record<string, number>) {
  const data = withOverrides(loadDeliveryData(), parameters);
  const inp = normalizeInput(input, data);
  const model = compileModel(data, inp);
  const horizon = Math.max(inp.duration_h, inp.doses[0].time_h + 24);
  return { model, horizon, inp };
}

/** Largest relative difference per column over rows where the value is above 1e-6 of its column's peak. */
function maxRelDiff(a: Float64Array, b: Float64Array, width: number): number {
  let worst = 0;
  for (let col = 0; col < width; col++) {
    let peak = 0;
    for (let i = col; i < a.length; i += width) peak = Math.max(peak, Math.abs(b[i]));
    for (let i = col; i < a.length; i += width) {
      const den = Math.max(Math.abs(a[i]), Math.abs(b[i]));
      if (den > 1e-6 * peak) worst = Math.max(worst, Math.abs(a[i] - b[i]) / den);
    }
  }
  return worst;
}

const cases: { name: string; input: DeliveryInput; parameters?: Record<string, number> }[] = [
  {
    name: "intravenous, rat",
    input: {
      species: "rat",
      doses: [{ time_h: 0, dose_particles: 1e10, route: "intravenous" }],
      duration_h: 48,
    },
  },
  {
    name: "hydrogel then an off-grid intravenous dose with IMTP, mouse, fast window",
    input: {
      species: "mouse",
      doses: [
        { time_h: 0, dose_particles: 1e10, route: "peptide-hydrogel" },
        { time_h: 7.37, dose_particles: 5e9, route: "intravenous" },
      ],
      ligands: ["IMTP"],
      injury: "ischemia-reperfusion",
      duration_h: 72,
    },
    parameters: { "routes.systemic.permeability_window_half_life_h": 24 },
  },
  {
    name: "ex vivo perfusion, rat",
    input: {
      species: "rat",
      doses: [{ time_h: 0.33, dose_particles: 1e10, route: "ex-vivo-perfusion" }],
      duration_h: 30,
    },
  },
];

describe("delivery integrator (exact exponential propagation on the dense grid)", () => {
  for (const c of cases) {
    it(`matches a fine fixed-step reference row by row: ${c.name}`, () => {
      const { model, horizon } = setup(c.input, c.parameters);
      const sol = integrate(model, horizon);
      const ref = reference(model, horizon, sol.rows, 16);
      expect(maxRelDiff(sol.table, ref, sol.width)).toBeLessThan(1e-5);
    });
  }

  it("keeps blood at exactly zero while the perfusion circuit runs", () => {
    const { model, horizon } = setup(cases[2].input);
    const sol = integrate(model, horizon);
    const endRow = Math.floor((0.33 + 2) / sol.dt);
    for (let r = 0; r < endRow; r++) expect(sol.table[r * sol.width + COMPARTMENT_INDEX.blood]).toBe(0);
  });

  it("keeps whole rows at the requested times equal to the full table, and the dense columns", () => {
    const { model, horizon } = setup(cases[1].input, cases[1].parameters);
    const at = [0, 3.3, 7.37, 24, 71.9, 72];
    const sol = integrate(model, horizon, at);
    const kept = at.flatMap((t) => {
      const i = Math.floor(t / sol.dt);
      return t > 0 ? [i, Math.min(i + 1, sol.rows - 1)] : [0];
    });
    const before = kept.map((row) => Array.from({ length: sol.width }, (_, col) => sol.value(col, row)));
    const table = sol.table;
    kept.forEach((row, k) => {
      for (let col = 0; col < sol.width; col++) expect(before[k][col]).toBe(table[row * sol.width + col]);
    });
    for (let row = 0; row < sol.rows; row++)
      expect(sol.cells[row]).toBe(table[row * sol.width + COMPARTMENT_INDEX.infarct_cells]);
  });

  it("handles long rows (capped table, fast blood) through the same propagators", () => {
    const input: DeliveryInput = {
      species: "mouse",
      doses: [{ time_h: 0, dose_particles: 1e10, route: "intravenous" }],
      duration_h: 3000,
    };
    const { model, horizon } = setup(input, { "routes.systemic.blood_half_life_min": 2 });
    const sol = integrate(model, horizon);
    expect(sol.rows).toBe(20_001);
    expect(model.maxRate * sol.dt).toBeGreaterThan(1); // several uniformization steps per row
    const ref = reference(model, horizon, sol.rows, 64);
    expect(maxRelDiff(sol.table, ref, sol.width)).toBeLessThan(1e-5);
  });
});
