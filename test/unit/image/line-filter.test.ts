import { describe, expect, it } from 'vitest';
import { LineFilter, type LineFilterRun } from '../../../service/domain/image/line-filter';
import { signedLeb, unsignedLeb } from '../../../service/domain/image/wasm-module';

/** A reproducible pseudo-random plane (values of order 100, like sky-level pixels). */
function fill(plane: Float32Array, from: number, count: number, seed: number): void {
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    plane[from + i] = (state / 2147483648) * 200 - 50;
  }
}

/** Every output of `run` against a plain double-precision sum (`before`: the output plane beforehand). */
function expectFiltered(
  plane: Float32Array,
  taps: Float64Array,
  run: LineFilterRun,
  before: Float32Array,
  lineWidth: number,
): void {
  for (let l = 0; l < run.lines; l++)
    for (let i = 0; i < lineWidth; i++) {
      let expected = run.accumulate || i >= run.count ? (before[l * run.dstLineStride + i] as number) : 0;
      if (i < run.count)
        for (let k = 0; k < taps.length; k++)
          expected +=
            (taps[k] as number) * (plane[run.src + l * run.srcLineStride + i + k * run.tapStride] as number);
      expect(plane[run.dst + l * run.dstLineStride + i]).toBeCloseTo(expected, 3);
    }
}

describe('LineFilter (WebAssembly SIMD)', () => {
  const taps = Float64Array.from([0.05, -0.2, 0.7, 0.3, -0.1, 0.02, 0.01]);
  const D = LineFilter.dataStart;

  // Rows: 44 outputs per line are two 16-wide steps, then three 4-wide ones. Columns: taps one line
  // apart, added to what the output holds.
  it.each([
    {
      what: 'rows',
      run: {
        src: D + 3,
        srcLineStride: 61,
        tapStride: 1,
        dst: D + 10_000,
        dstLineStride: 50,
        lines: 5,
        count: 44,
        accumulate: false,
      },
    },
    {
      what: 'columns',
      run: {
        src: D,
        srcLineStride: 32,
        tapStride: 32,
        dst: D + 10_000,
        dstLineStride: 40,
        lines: 3,
        count: 20,
        accumulate: true,
      },
    },
  ])('filters $what: out[l, i] (+)= Σ taps[k]·in[l, i + k·tapStride], nothing past count', ({ run }) => {
    const filter = new LineFilter(20_000);
    const plane = filter.plane;
    fill(plane, D, 12_000, 7);
    const before = Float32Array.from(plane.subarray(run.dst, run.dst + run.lines * run.dstLineStride));
    filter.filter(taps, run);
    expectFiltered(plane, taps, run, before, run.dstLineStride);
  });

  it('fails on an output count that is not a multiple of four', () => {
    const filter = new LineFilter(100);
    expect(() =>
      filter.filter(taps, {
        src: D,
        srcLineStride: 10,
        tapStride: 1,
        dst: D + 50,
        dstLineStride: 10,
        lines: 1,
        count: 6,
        accumulate: false,
      }),
    ).toThrow(/multiple of 4/);
  });
});

describe('LEB128', () => {
  it('encodes unsigned and signed values as the WebAssembly binary format does', () => {
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(228)).toEqual([0xe4, 0x01]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});
