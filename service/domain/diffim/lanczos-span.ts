// The warp's pixel loop in WebAssembly SIMD: a span of output pixels whose source positions step
// linearly (between two nodes of the warp's position grid) is Lanczos-sampled from a stripe of source
// rows held in wasm memory. Per pixel the 2a rows are weighted and summed four columns per vector,
// then dotted with the column weights; image and variance (squared weights) alike, mask bits ORed
// from the 2×2 pixels around the sample point. Positions, phases and bounds are computed in double
// precision exactly as before; the sums are single precision. Code is generated per Lanczos order.

import { MaskBit } from '../image/mask-bits';
import { FunctionBody, moduleBytes, Op, SimdOp, ValueType } from '../image/wasm-module';

/** Sub-pixel phases in the weight table: 1/512 px steps, far below any astrometric error. */
export const PHASES = 512;
/** Detection bits describe the source image's own sources, not the warped one's. */
export const CARRIED_BITS = 0xffff & ~(MaskBit.DETECTED | MaskBit.DETECTED_NEGATIVE);

type SpanExport = (
  count: number,
  sx: number,
  sy: number,
  dx: number,
  dy: number,
  out: number,
  rowLo: number,
  rowHi: number,
  sourceWidth: number,
  ...planes: PlaneAddresses
) => number;

/** Byte addresses of source image, variance, mask, then output image, variance, mask. */
type PlaneAddresses = [number, number, number, number, number, number];

/**
 * Wasm memory for a source stripe of up to `sourceFloats` pixels and an output stripe of
 * `outputFloats` pixels (image, variance, mask each), with the Lanczos-`order` weight tables.
 */
export class LanczosSpans {
  private readonly span: SpanExport;
  private readonly layout: Layout;
  private readonly memory: WebAssembly.Memory;
  private rowLo = 0;
  private rowHi = 0;
  private sourceWidth = 0;

  constructor(
    readonly order: number,
    table: Float64Array,
    sourceFloats: number,
    outputFloats: number,
  ) {
    const taps = 2 * order;
    const chunks = Math.ceil(taps / 4);
    this.layout = layout(chunks, sourceFloats, outputFloats);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.layout.bytes / 65536) });
    const instance = new WebAssembly.Instance(compiledSpan(order), {
      env: { memory: this.memory },
    });
    this.span = instance.exports.warpSpan as SpanExport;
    // Weights per phase padded to whole vectors, then the same for the squared weights.
    const padded = new Float32Array(this.memory.buffer, this.layout.table, 2 * (PHASES + 1) * 4 * chunks);
    const perPhase = 4 * chunks;
    for (let p = 0; p <= PHASES; p++)
      for (let k = 0; k < taps; k++) {
        const w = table[p * taps + k] as number;
        padded[p * perPhase + k] = w;
        padded[(PHASES + 1 + p) * perPhase + k] = w * w;
      }
  }

  /** Copies source rows [rowLo, rowHi) of image, variance and mask into the stripe. */
  loadSource(
    image: Float32Array,
    variance: Float32Array,
    mask: Uint16Array,
    width: number,
    rowLo: number,
    rowHi: number,
  ): void {
    const n = Math.max(0, rowHi - rowLo) * width;
    const from = rowLo * width;
    const { buffer } = this.memory;
    new Float32Array(buffer, this.layout.sourceImage, n).set(image.subarray(from, from + n));
    new Float32Array(buffer, this.layout.sourceVariance, n).set(variance.subarray(from, from + n));
    new Uint16Array(buffer, this.layout.sourceMask, n).set(mask.subarray(from, from + n));
    this.rowLo = rowLo;
    this.rowHi = rowHi;
    this.sourceWidth = width;
  }

  /**
   * Output stripe pixels out … out + count − 1 sampled at (sx, sy) + i·(dx, dy); returns how many
   * received data (the rest are NO_DATA with zero image and variance).
   */
  sample(count: number, sx: number, sy: number, dx: number, dy: number, out: number): number {
    const at = this.layout;
    return this.span(
      count,
      sx,
      sy,
      dx,
      dy,
      out,
      this.rowLo,
      this.rowHi,
      this.sourceWidth,
      at.sourceImage,
      at.sourceVariance,
      at.sourceMask,
      at.outputImage,
      at.outputVariance,
      at.outputMask,
    );
  }

  /** Copies the first `n` output stripe pixels to image, variance and mask at element `at`. */
  store(image: Float32Array, variance: Float32Array, mask: Uint16Array, at: number, n: number): void {
    const { buffer } = this.memory;
    image.set(new Float32Array(buffer, this.layout.outputImage, n), at);
    variance.set(new Float32Array(buffer, this.layout.outputVariance, n), at);
    mask.set(new Uint16Array(buffer, this.layout.outputMask, n), at);
  }
}

/** Byte addresses in the span's memory. */
interface Layout {
  readonly table: number;
  readonly squaredTable: number;
  readonly sourceImage: number;
  readonly sourceVariance: number;
  readonly sourceMask: number;
  readonly outputImage: number;
  readonly outputVariance: number;
  readonly outputMask: number;
  readonly bytes: number;
}

/** Bytes of one weight table (PHASES + 1 phases of whole vectors); the squared table follows it. */
function tableBytes(chunks: number): number {
  return (PHASES + 1) * 16 * chunks;
}

function layout(chunks: number, sourceFloats: number, outputFloats: number): Layout {
  const tables = tableBytes(chunks);
  const align = (n: number) => Math.ceil(n / 16) * 16;
  // 16 spare bytes after each source plane: a whole-vector read of the last row's window stays inside.
  const sourceImage = 2 * tables;
  const sourceVariance = align(sourceImage + 4 * sourceFloats + 16);
  const sourceMask = align(sourceVariance + 4 * sourceFloats + 16);
  const outputImage = align(sourceMask + 2 * sourceFloats + 16);
  const outputVariance = align(outputImage + 4 * outputFloats);
  const outputMask = align(outputVariance + 4 * outputFloats);
  return {
    table: 0,
    squaredTable: tables,
    sourceImage,
    sourceVariance,
    sourceMask,
    outputImage,
    outputVariance,
    outputMask,
    bytes: outputMask + 2 * outputFloats,
  };
}

/** One module per Lanczos order (the weight tables sit at address 0, planes come as parameters). */
const compiled = new Map<number, WebAssembly.Module>();

function compiledSpan(order: number): WebAssembly.Module {
  let module = compiled.get(order);
  if (!module) {
    module = new WebAssembly.Module(moduleBytes([{ name: 'warpSpan', body: spanBody(order) }]));
    compiled.set(order, module);
  }
  return module;
}

// Parameters of warpSpan.
const P = {
  count: 0,
  sx: 1,
  sy: 2,
  dx: 3,
  dy: 4,
  out: 5,
  rowLo: 6,
  rowHi: 7,
  sourceWidth: 8,
  sourceImage: 9,
  sourceVariance: 10,
  sourceMask: 11,
  outputImage: 12,
  outputVariance: 13,
  outputMask: 14,
} as const;
const PARAMS = [ValueType.i32, ...Array(4).fill(ValueType.f64), ...Array(10).fill(ValueType.i32)];
// Locals: i32s, then f64s, then v128s.
const I32_LOCALS = [
  'k',
  'covered',
  'ix',
  'iy',
  'x0',
  'y0',
  'offset',
  'row',
  'rowBytes',
  'wx',
  'wy',
  'bits',
  'c',
];
const L = Object.fromEntries(I32_LOCALS.map((name, i) => [name, PARAMS.length + i])) as Record<
  (typeof I32_LOCALS)[number],
  number
>;
const FX = PARAMS.length + I32_LOCALS.length;
const FY = FX + 1;
const WEIGHT = FY + 1;
const ACC = WEIGHT + 1; // one v128 accumulator per column chunk

function spanBody(order: number): FunctionBody {
  const taps = 2 * order;
  const chunks = Math.ceil(taps / 4);
  const f = new FunctionBody(
    PARAMS,
    [
      ...Array(I32_LOCALS.length).fill(ValueType.i32),
      ValueType.f64,
      ValueType.f64,
      ...Array(1 + chunks).fill(ValueType.v128),
    ],
    [ValueType.i32],
  );
  const local = (name: string) => L[name] as number;
  f.get(P.sourceWidth).i32(2).op(Op.i32Shl).set(local('rowBytes'));
  f.i32(0).set(local('k')).i32(0).set(local('covered'));
  f.open(Op.block).open(Op.loop);
  f.get(local('k')).get(P.count).op(Op.i32GeS).op(Op.brIf, 1);
  // fx = floor(sx), ix = fx, x0 = ix − a + 1 (and the same for y).
  f.get(P.sx).op(Op.f64Floor).op(Op.localTee, FX).op(Op.i32TruncF64S).op(Op.localTee, local('ix'));
  f.i32(order - 1)
    .op(Op.i32Sub)
    .set(local('x0'));
  f.get(P.sy).op(Op.f64Floor).op(Op.localTee, FY).op(Op.i32TruncF64S).op(Op.localTee, local('iy'));
  f.i32(order - 1)
    .op(Op.i32Sub)
    .set(local('y0'));
  // The window must lie inside the source (columns) and the loaded rows.
  f.get(local('x0')).i32(0).op(Op.i32GeS);
  f.get(local('y0')).get(P.rowLo).op(Op.i32GeS).op(Op.i32And);
  f.get(local('x0')).i32(taps).op(Op.i32Add).get(P.sourceWidth).op(Op.i32LeS).op(Op.i32And);
  f.get(local('y0')).i32(taps).op(Op.i32Add).get(P.rowHi).op(Op.i32LeS).op(Op.i32And);
  f.open(Op.if);
  sampleWindow(f, order, chunks);
  f.op(Op.else);
  // Outside: zero image and variance, NO_DATA.
  outputAddress(f, 2, P.outputImage).i32(0).op(Op.i32Store, 2, 0);
  outputAddress(f, 2, P.outputVariance).i32(0).op(Op.i32Store, 2, 0);
  outputAddress(f, 1, P.outputMask).i32(MaskBit.NO_DATA).op(Op.i32Store16, 1, 0);
  f.op(Op.end);
  f.get(P.sx).get(P.dx).op(Op.f64Add).set(P.sx);
  f.get(P.sy).get(P.dy).op(Op.f64Add).set(P.sy);
  f.get(local('k')).i32(1).op(Op.i32Add).set(local('k'));
  f.op(Op.br, 0).op(Op.end).op(Op.end);
  f.get(local('covered'));
  return f;
}

/** Pushes the address of output pixel out + k in the plane at `base` of 2^shift-byte elements. */
function outputAddress(f: FunctionBody, shift: number, base: number): FunctionBody {
  return f
    .get(P.out)
    .get(L.k as number)
    .op(Op.i32Add)
    .i32(shift)
    .op(Op.i32Shl)
    .get(base)
    .op(Op.i32Add);
}

function sampleWindow(f: FunctionBody, order: number, chunks: number): void {
  const local = (name: string) => L[name] as number;
  const phaseBytes = 16 * chunks;
  // Weight rows: table + phase·phaseBytes, phase = ⌊(s − ⌊s⌋)·PHASES⌋.
  for (const [s, fs, name] of [
    [P.sx, FX, 'wx'],
    [P.sy, FY, 'wy'],
  ] as const) {
    f.get(s).get(fs).op(Op.f64Sub).f64(PHASES).op(Op.f64Mul).op(Op.i32TruncF64S);
    f.i32(phaseBytes).op(Op.i32Mul).set(local(name));
  }
  // offset = ((y0 − rowLo)·width + x0)·4, the window's first pixel in a source plane.
  f.get(local('y0')).get(P.rowLo).op(Op.i32Sub).get(P.sourceWidth).op(Op.i32Mul);
  f.get(local('x0')).op(Op.i32Add).i32(2).op(Op.i32Shl).set(local('offset'));
  windowSum(f, order, chunks, P.sourceImage, 0, P.outputImage);
  windowSum(f, order, chunks, P.sourceVariance, tableBytes(chunks), P.outputVariance);
  // Mask: the 2×2 source pixels around the sample point.
  f.get(local('iy')).get(P.rowLo).op(Op.i32Sub).get(P.sourceWidth).op(Op.i32Mul);
  f.get(local('ix')).op(Op.i32Add).i32(1).op(Op.i32Shl).get(P.sourceMask).op(Op.i32Add).set(local('c'));
  f.get(local('c')).op(Op.i32Load16U, 1, 0);
  f.get(local('c')).op(Op.i32Load16U, 1, 2).op(Op.i32Or);
  f.get(local('c')).get(P.sourceWidth).i32(1).op(Op.i32Shl).op(Op.i32Add).op(Op.localTee, local('c'));
  f.op(Op.i32Load16U, 1, 0).op(Op.i32Or);
  f.get(local('c')).op(Op.i32Load16U, 1, 2).op(Op.i32Or);
  f.i32(CARRIED_BITS).op(Op.i32And).set(local('bits'));
  outputAddress(f, 1, P.outputMask).get(local('bits')).op(Op.i32Store16, 1, 0);
  f.get(local('covered')).get(local('bits')).i32(MaskBit.NO_DATA).op(Op.i32And).op(Op.i32Eqz);
  f.op(Op.i32Add).set(local('covered'));
}

/**
 * out[k] = Σ_j wy_j Σ_i wx_i plane[window], the rows four columns per vector, then one dot. `plane`
 * and `out` are the parameters holding the planes' addresses, `table` the weight table's.
 */
function windowSum(
  f: FunctionBody,
  order: number,
  chunks: number,
  plane: number,
  table: number,
  out: number,
): void {
  const local = (name: string) => L[name] as number;
  const taps = 2 * order;
  f.get(local('offset')).get(plane).op(Op.i32Add).set(local('row'));
  for (let j = 0; j < taps; j++) {
    f.get(local('wy'))
      .op(Op.f32Load, 2, table + 4 * j)
      .simd(SimdOp.f32x4Splat)
      .set(WEIGHT);
    for (let c = 0; c < chunks; c++) {
      if (j > 0) f.get(ACC + c);
      // A last chunk of two columns loads 64 bits (the rest zero): nothing outside the window is read.
      const load = taps - 4 * c >= 4 ? SimdOp.v128Load : SimdOp.v128Load64Zero;
      f.get(local('row')).simdMemory(load, 16 * c);
      f.get(WEIGHT).simd(SimdOp.f32x4Mul);
      if (j > 0) f.simd(SimdOp.f32x4Add);
      f.set(ACC + c);
    }
    if (j + 1 < taps) f.get(local('row')).get(local('rowBytes')).op(Op.i32Add).set(local('row'));
  }
  // Σ_c acc_c · wx_c, then the four lanes added.
  outputAddress(f, 2, out);
  for (let c = 0; c < chunks; c++) {
    f.get(ACC + c)
      .get(local('wx'))
      .simdMemory(SimdOp.v128Load, table + 16 * c);
    f.simd(SimdOp.f32x4Mul);
    if (c > 0) f.simd(SimdOp.f32x4Add);
  }
  f.set(WEIGHT);
  f.get(WEIGHT).simd(SimdOp.f32x4ExtractLane, 0).get(WEIGHT).simd(SimdOp.f32x4ExtractLane, 1).op(Op.f32Add);
  f.get(WEIGHT).simd(SimdOp.f32x4ExtractLane, 2).get(WEIGHT).simd(SimdOp.f32x4ExtractLane, 3).op(Op.f32Add);
  f.op(Op.f32Add).op(Op.f32Store, 2, 0);
}
