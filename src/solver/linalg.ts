/**
 * Dense LU factorization with partial pivoting, in place on a row-major n×n Float64Array
 * (LAPACK dgetrf/dgetrs without blocking; the networks here have at most a few hundred species).
 */

/** Factor A = P·L·U in place; returns false when A is singular to working precision. */
export function luFactor(a: Float64Array, n: number, piv: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    piv[k] = p;
    if (max === 0) return false;
    if (p !== k) {
      const rp = p * n;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        const tmp = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = tmp;
      }
    }
    const pivot = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = a[ri + k] / pivot;
      a[ri + k] = l;
      if (l !== 0) {
        const rk = k * n;
        for (let j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
      }
    }
  }
  return true;
}

/** Solve A·x = b using the factors from luFactor; b is overwritten with x. */
export function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) {
      const tmp = b[k];
      b[k] = b[p];
      b[p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let j = 0; j < i; j++) s -= lu[ri + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    const ri = i * n;
    for (let j = i + 1; j < n; j++) s -= lu[ri + j] * b[j];
    b[i] = s / lu[ri + i];
  }
}
