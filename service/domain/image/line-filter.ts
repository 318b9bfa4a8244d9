// One 1-D filter run along many lines of a Float32 plane, in WebAssembly SIMD: four outputs per
// vector, four vectors per step, each tap broadcast once per step. Rows (taps one pixel apart) and
// columns (taps one row apart, outputs along x) are the same loop with a different tap stride, so the
// separable convolutions of diffim and of the matched filter share it. Arithmetic is single
// precision, like the planes: a 15-tap sum carries ~1e-7 relative rounding.

import { FunctionBody, moduleBytes, Op, SimdOp, ValueType } from './wasm-module';

/** Where one filter call reads and writes, in elements of the workspace's plane. */
export interface LineFilterRun {
  /** First input element of line 0; input element i of line l, tap k is src + l·srcLineStride + i + k·tapStride. */
  readonly src: number;
  readonly srcLineStride: number;
  readonly tapStride: number;
  /** First output element of line 0; output i of line l is dst + l·dstLineStride + i. */
  readonly dst: number;
  readonly dstLineStride: number;
  readonly lines: number;
  /** Outputs per line: a multiple of four. */
  readonly count: number;
  /** Add to what the output holds instead of overwriting it. */
  readonly accumulate: boolean;
}

/** Taps live at the start of the plane; callers' data starts at `LineFilter.dataStart`. */
const MAX_TAPS = 64;

type FilterExport = (
  src: number,
  srcLineStride: number,
  tapStride: number,
  taps: number,
  tapCount: number,
  dst: number,
  dstLineStride: number,
  lines: number,
  count: number,
  accumulate: number,
) => void;

/** A private WebAssembly memory of at least `floats` data elements and the filter compiled over it. */
export class LineFilter {
  static readonly dataStart = MAX_TAPS;
  /** The workspace, element-addressed: fill inputs, run `filter`, read outputs. */
  readonly plane: Float32Array;
  private readonly run: FilterExport;

  constructor(floats: number) {
    const bytes = (MAX_TAPS + floats) * 4 + 64; // 64: the widest step may read one vector past a line
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const instance = new WebAssembly.Instance(compiledFilter(), { env: { memory } });
    this.run = instance.exports.filterLines as FilterExport;
    this.plane = new Float32Array(memory.buffer, 0, MAX_TAPS + floats);
  }

  /** out[l, i] (+)= Σ_k taps[k]·in[l, i + k·tapStride] (a correlation: reverse taps to convolve). */
  filter(taps: Float64Array, run: LineFilterRun): void {
    if (taps.length < 1 || taps.length > MAX_TAPS)
      throw new RangeError(`a line filter takes 1–${MAX_TAPS} taps, not ${taps.length}`);
    if (run.count % 4 !== 0)
      throw new RangeError(`line filter output count ${run.count} is not a multiple of 4`);
    this.plane.set(taps, 0);
    this.run(
      run.src,
      run.srcLineStride,
      run.tapStride,
      0,
      taps.length,
      run.dst,
      run.dstLineStride,
      run.lines,
      run.count,
      run.accumulate ? 1 : 0,
    );
  }
}

let compiled: WebAssembly.Module | undefined;

function compiledFilter(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(moduleBytes([{ name: 'filterLines', body: filterLinesBody() }]));
  return compiled;
}

// Parameter and local indices of filterLines.
const P = {
  src: 0,
  srcLineStride: 1,
  tapStride: 2,
  taps: 3,
  tapCount: 4,
  dst: 5,
  dstLineStride: 6,
  lines: 7,
  count: 8,
  accumulate: 9,
} as const;
const PARAM_COUNT = 10;
const L = {
  line: PARAM_COUNT,
  srcLine: PARAM_COUNT + 1,
  dstLine: PARAM_COUNT + 2,
  i: PARAM_COUNT + 3,
  p: PARAM_COUNT + 4,
  t: PARAM_COUNT + 5,
  tEnd: PARAM_COUNT + 6,
  stepBytes: PARAM_COUNT + 7,
  w: PARAM_COUNT + 8,
  acc: PARAM_COUNT + 9, // four v128 accumulators
} as const;

function filterLinesBody(): FunctionBody {
  const f = new FunctionBody(Array(PARAM_COUNT).fill(ValueType.i32), [
    ...Array(8).fill(ValueType.i32),
    ...Array(5).fill(ValueType.v128),
  ]);
  f.get(P.tapStride).i32(2).op(Op.i32Shl).set(L.stepBytes);
  f.i32(0).set(L.line);
  f.open(Op.block).open(Op.loop);
  f.get(L.line).get(P.lines).op(Op.i32GeS).op(Op.brIf, 1);
  lineStart(f, P.src, P.srcLineStride, L.srcLine);
  lineStart(f, P.dst, P.dstLineStride, L.dstLine);
  f.i32(0).set(L.i);
  outputLoop(f, 4);
  outputLoop(f, 1);
  f.get(L.line).i32(1).op(Op.i32Add).set(L.line);
  f.op(Op.br, 0).op(Op.end).op(Op.end);
  return f;
}

/** local = (base + line·stride)·4, the line's byte address. */
function lineStart(f: FunctionBody, base: number, stride: number, local: number): void {
  f.get(base).get(L.line).get(stride).op(Op.i32Mul).op(Op.i32Add).i32(2).op(Op.i32Shl).set(local);
}

/** While i + 4·vectors ≤ count: `vectors` output vectors from one pass over the taps. */
function outputLoop(f: FunctionBody, vectors: number): void {
  const width = 4 * vectors;
  f.open(Op.block).open(Op.loop);
  f.get(L.i).i32(width).op(Op.i32Add).get(P.count).op(Op.i32GtS).op(Op.brIf, 1);
  // Accumulators start from the output (accumulate) or zero.
  f.get(P.accumulate).open(Op.if);
  for (let v = 0; v < vectors; v++)
    outputAddress(f)
      .simdMemory(SimdOp.v128Load, 16 * v)
      .set(L.acc + v);
  f.op(Op.else);
  for (let v = 0; v < vectors; v++) f.v128Zero().set(L.acc + v);
  f.op(Op.end);
  // p = srcLine + 4i; t = taps·4; tEnd = t + 4·tapCount
  f.get(L.srcLine).get(L.i).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.p);
  f.get(P.taps).i32(2).op(Op.i32Shl).set(L.t);
  f.get(L.t).get(P.tapCount).i32(2).op(Op.i32Shl).op(Op.i32Add).set(L.tEnd);
  f.open(Op.loop);
  f.get(L.t).memory(Op.f32Load).simd(SimdOp.f32x4Splat).set(L.w);
  for (let v = 0; v < vectors; v++) {
    f.get(L.acc + v);
    f.get(L.p).simdMemory(SimdOp.v128Load, 16 * v);
    f.get(L.w)
      .simd(SimdOp.f32x4Mul)
      .simd(SimdOp.f32x4Add)
      .set(L.acc + v);
  }
  f.get(L.p).get(L.stepBytes).op(Op.i32Add).set(L.p);
  f.get(L.t).i32(4).op(Op.i32Add).op(Op.localTee, L.t);
  f.get(L.tEnd).op(Op.i32LtS).op(Op.brIf, 0);
  f.op(Op.end);
  for (let v = 0; v < vectors; v++)
    outputAddress(f)
      .get(L.acc + v)
      .simdMemory(SimdOp.v128Store, 16 * v);
  f.get(L.i).i32(width).op(Op.i32Add).set(L.i);
  f.op(Op.br, 0).op(Op.end).op(Op.end);
}

/** Pushes dstLine + 4i. */
function outputAddress(f: FunctionBody): FunctionBody {
  return f.get(L.dstLine).get(L.i).i32(2).op(Op.i32Shl).op(Op.i32Add);
}
