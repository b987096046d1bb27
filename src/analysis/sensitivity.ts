import { compileNetwork } from "../network/compile.ts";
import type { Scenario } from "../scenario/schema.ts";
import { defaultNetwork, simulate } from "../scenario/simulate.ts";

/**
 * Netflux-style knockdown screen: each node's ymax is lowered to `level` (0.1, as in the
 * Netflux-derived knockdown scripts, ../shared/research/netflux.md §3) and every effect output is
 * compared with the unperturbed scenario at time t.
 */
export interface SensitivityRow {
  node: string;
  /** change of each effect output (knockdown − control), aligned with `effects` */
  deltas: number[];
  total: number;
}

export interface SensitivityResult {
  effects: string[];
  control: number[];
  rows: SensitivityRow[];
}

export function knockdownSensitivity(
  scenario: Scenario,
  t: number,
  opts: { level?: number; onProgress?: (done: number, total: number) => void } = {},
): SensitivityResult {
  const model = defaultNetwork();
  const net = compileNetwork(model);
  const effects = model.species.filter((s) => s.readout).map((s) => s.id);
  const run = () => simulate(scenario, { compiled: net, include: [t] });
  const base = run();
  const control = effects.map((e) => base.at(e, t));
  const nodes = model.species.filter((s) => !s.readout).map((s) => s.id);
  const rows: SensitivityRow[] = [];
  const level = opts.level ?? 0.1;
  nodes.forEach((node, k) => {
    const r = simulate(scenario, { compiled: net, include: [t], ymax: { [node]: level } });
    const deltas = effects.map((e, i) => r.at(e, t) - control[i]);
    rows.push({ node, deltas, total: deltas.reduce((a, d) => a + Math.abs(d), 0) });
    opts.onProgress?.(k + 1, nodes.length);
  });
  rows.sort((a, b) => b.total - a.total);
  return { effects, control, rows };
}
