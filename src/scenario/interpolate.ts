/** Linear interpolation of `values` sampled at ascending `times`; constant beyond both ends. */
export function interpolate(times: ArrayLike<number>, values: ArrayLike<number>, t: number): number {
  const n = times.length;
  if (t <= times[0]) return values[0];
  if (t >= times[n - 1]) return values[n - 1];
  // binary search: output grids have hundreds of points and readouts are read many times
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  const a = (t - times[lo]) / (times[hi] - times[lo]);
  return values[lo] * (1 - a) + values[hi] * a;
}
