/**
 * A readout value for a CLI table: exponent form from 1e6 up (particle counts, exposures), one
 * decimal from 100, two from 1, four below (activities 0–1).
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e6 ? v.toExponential(3) : a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(4);
}
