/** Rows in the reusable window. */
const WINDOW_ROWS = 512;
let scratch = new Float64Array(0);

function windowBuffer(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch.subarray(0, size);
}

/**
 * Where the integrator writes rows: either the full table (every row kept), or a small window reused
 * as the sweep advances, from which only the rows asked for are kept (`captureRows`). Filling a fresh
 * table of ~7 000 × 11 doubles cost more than computing it (page faults and GC of a new 0.6 MB buffer
 * per call, ~0.25 ms), while the hot readers need only the dense cargo and heart columns and whole rows
 * at a few times (output times, the end of the run, 24 h after the first dose).
 */
export class RowStore {
  /** the buffer rows are written to; row r lives at (r − offset) · width */
  readonly buffer: Float64Array;
  /** the row in slot 0 */
  offset = 0;
  /** rows the buffer holds */
  readonly capacity: number;
  /** rows kept in full in window mode (ascending), and their values */
  readonly captureRows: Int32Array;
  readonly captured: Float64Array;

  constructor(
    readonly width: number,
    rows: number,
    full: boolean,
    captureRows: Int32Array,
  ) {
    this.capacity = full ? rows : Math.min(rows, WINDOW_ROWS);
    // the window is scratch: one per process, reused (integration is synchronous and not re-entrant)
    this.buffer = full ? new Float64Array(this.capacity * width) : windowBuffer(this.capacity * width);
    this.captureRows = full ? new Int32Array(0) : captureRows;
    this.captured = new Float64Array(this.captureRows.length * width);
  }

  /**
   * Rows prev+1..to are about to be computed from row `prev` (which is in the buffer). Slides the window
   * when they do not fit (row `prev` moves to slot 0) and returns the last row that fits (≤ to).
   */
  reserve(prev: number, to: number): number {
    if (to - this.offset >= this.capacity && prev > this.offset) {
      const w = this.width;
      const src = (prev - this.offset) * w;
      this.buffer.copyWithin(0, src, src + w);
      this.offset = prev;
    }
    return Math.min(to, this.offset + this.capacity - 1);
  }

  /** Keep the captured rows among first..last (call after they are written, before the window slides). */
  capture(first: number, last: number): void {
    const rows = this.captureRows;
    if (rows.length === 0) return;
    const w = this.width;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid] < first) lo = mid + 1;
      else hi = mid;
    }
    const buf = this.buffer;
    const kept = this.captured;
    for (let k = lo; k < rows.length && rows[k] <= last; k++) {
      const src = (rows[k] - this.offset) * w;
      const dst = k * w;
      for (let c = 0; c < w; c++) kept[dst + c] = buf[src + c];
    }
  }

  /** x ← row (which must be in the buffer). */
  read(row: number, x: Float64Array): void {
    const o = (row - this.offset) * this.width;
    for (let c = 0; c < this.width; c++) x[c] = this.buffer[o + c];
  }

  /** row ← x, for rows computed outside the kernel (start, steps split at breakpoints, after events). */
  write(row: number, x: Float64Array): void {
    if (row - this.offset >= this.capacity) this.offset = row;
    this.buffer.set(x, (row - this.offset) * this.width);
    this.capture(row, row);
  }
}
