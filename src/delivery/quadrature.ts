/** Small numerical tables used by the delivery integrator (computed once at load). */

/** Gauss–Legendre nodes and weights on [-1, 1] for G = 1..MAX_GAUSS points. */
export const MAX_GAUSS = 10;
export const GAUSS: { nodes: Float64Array; weights: Float64Array }[] = [];

for (let G = 1; G <= MAX_GAUSS; G++) {
  const nodes = new Float64Array(G);
  const weights = new Float64Array(G);
  for (let i = 0; i < G; i++) {
    // Newton on the Legendre polynomial P_G from the Chebyshev-like initial guess
    let x = Math.cos((Math.PI * (i + 0.75)) / (G + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= G; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pG = G === 1 ? x : p1;
      const pPrev = G === 1 ? 1 : p0;
      dp = (G * (x * pG - pPrev)) / (x * x - 1);
      const dx = pG / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[G - 1 - i] = x;
    weights[G - 1 - i] = 2 / ((1 - x * x) * dp * dp);
  }
  GAUSS.push({ nodes, weights });
}

/**
 * Smallest number of Gauss points whose error bound for integrands varying like e^{−z·s/dt} over a step
 * (z = fastest rate × dt), z^{2G} (G!)⁴ / ((2G+1) ((2G)!)³, is below tol.
 */
export function gaussPointsFor(z: number, tol: number): number {
  let fact = 1; // G!
  let fact2 = 1; // (2G)!
  for (let G = 1; G <= MAX_GAUSS; G++) {
    fact *= G;
    fact2 *= 2 * G * (2 * G - 1);
    const bound = (z ** (2 * G) * fact ** 4) / ((2 * G + 1) * fact2 ** 3);
    if (bound <= tol) return G;
  }
  return MAX_GAUSS;
}

/**
 * Interpolation at Chebyshev nodes u_j = cos((2j+1)π / (2(d+1))) on [-1, 1]: coefficients (ascending
 * powers of u) = VINV · values.
 */
export function chebyshevNodes(degree: number): Float64Array {
  const m = degree + 1;
  return Float64Array.from({ length: m }, (_, j) => Math.cos(((2 * j + 1) * Math.PI) / (2 * m)));
}

/** Inverse of the Vandermonde matrix V[j][d] = u_j^d (row-major), by Gauss–Jordan elimination. */
export function vandermondeInverse(u: Float64Array): Float64Array {
  const m = u.length;
  const a = new Float64Array(m * 2 * m);
  for (let j = 0; j < m; j++) {
    for (let d = 0; d < m; d++) a[j * 2 * m + d] = u[j] ** d;
    a[j * 2 * m + m + j] = 1;
  }
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++)
      if (Math.abs(a[r * 2 * m + col]) > Math.abs(a[piv * 2 * m + col])) piv = r;
    for (let c = 0; c < 2 * m; c++) {
      const tmp = a[col * 2 * m + c];
      a[col * 2 * m + c] = a[piv * 2 * m + c];
      a[piv * 2 * m + c] = tmp;
    }
    const d = a[col * 2 * m + col];
    for (let c = 0; c < 2 * m; c++) a[col * 2 * m + c] /= d;
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r * 2 * m + col];
      if (f !== 0) for (let c = 0; c < 2 * m; c++) a[r * 2 * m + c] -= f * a[col * 2 * m + c];
    }
  }
  const inv = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) inv[r * m + c] = a[r * 2 * m + m + c];
  return inv;
}
