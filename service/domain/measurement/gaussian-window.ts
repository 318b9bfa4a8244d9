// An elliptical Gaussian exp(−½(a·dx² + 2b·dx·dy + c·dy²)) sampled on a window of pixel offsets, as
// PSF photometry and adaptive moments weight their stamps. It factors into exp(−½a·dx²) per column,
// exp(−½c·dy² − b·dy·dx₀) per row and a per-row ratio exp(−b·dy) stepping along the row: one
// exponential per column and two per row instead of one per pixel. While |b·dx·dy| ≤ 300 over the
// window every factor is finite (and a weight lost to underflow is below e^−145 of the peak); a more
// sheared Gaussian is evaluated pixel by pixel.

const MAX_CROSS_EXPONENT = 300;

/**
 * out[j·columns + i] = exp(−½(a·dx² + 2b·dx·dy + c·dy²)) at dx = dx0 + i, dy = dy0 + j, for a
 * positive-definite form (a, c > 0, ac > b²).
 */
export function gaussianWindow(
  a: number,
  b: number,
  c: number,
  dx0: number,
  dy0: number,
  columns: number,
  rows: number,
  out: Float64Array,
): void {
  const maxDx = Math.max(Math.abs(dx0), Math.abs(dx0 + columns - 1));
  const maxDy = Math.max(Math.abs(dy0), Math.abs(dy0 + rows - 1));
  if (Math.abs(b) * maxDx * maxDy > MAX_CROSS_EXPONENT) {
    for (let j = 0; j < rows; j++) {
      const dy = dy0 + j;
      for (let i = 0; i < columns; i++) {
        const dx = dx0 + i;
        out[j * columns + i] = Math.exp(-0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy));
      }
    }
    return;
  }
  // The column factors go into the last row first; every row is then scaled from them in place.
  const last = (rows - 1) * columns;
  for (let i = 0; i < columns; i++) {
    const dx = dx0 + i;
    out[last + i] = Math.exp(-0.5 * a * dx * dx);
  }
  for (let j = 0; j < rows; j++) {
    const dy = dy0 + j;
    const step = Math.exp(-b * dy);
    let cross = Math.exp(-0.5 * c * dy * dy - b * dy * dx0);
    const o = j * columns;
    for (let i = 0; i < columns; i++) {
      out[o + i] = (out[last + i] as number) * cross;
      cross *= step;
    }
  }
}
