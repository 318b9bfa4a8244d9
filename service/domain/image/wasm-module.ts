// A minimal WebAssembly binary writer for the hand-written SIMD pixel kernels: one imported memory,
// functions over i32 parameters, and the handful of opcodes those kernels use. No toolchain is needed
// to build them: the bytes are written here and compiled by the runtime's own WebAssembly engine.

/** Value types as the binary format numbers them. */
export const ValueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** Single-byte opcodes (control, locals, i32 and scalar memory). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Store16: 0x3b,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  f32Add: 0x92,
  f64Floor: 0x9c,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  i32TruncF64S: 0xaa,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SimdOp = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  v128Load64Zero: 0x5d,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
} as const;

const VOID_BLOCK = 0x40;

/** Builds one function body: append instructions, then `bytes()` (locals declared up front). */
export class FunctionBody {
  private readonly code: number[] = [];

  constructor(
    readonly params: readonly ValueType[],
    private readonly locals: readonly ValueType[],
    readonly results: readonly ValueType[] = [],
  ) {}

  op(code: number, ...immediates: number[]): this {
    this.code.push(code);
    for (const value of immediates) this.code.push(...unsignedLeb(value));
    return this;
  }

  /** Opens a block, loop or if with no result. */
  open(kind: typeof Op.block | typeof Op.loop | typeof Op.if): this {
    this.code.push(kind, VOID_BLOCK);
    return this;
  }

  i32(value: number): this {
    this.code.push(Op.i32Const, ...signedLeb(value));
    return this;
  }

  /** f64.const (little-endian IEEE 754). */
  f64(value: number): this {
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    this.code.push(0x44, ...bytes);
    return this;
  }

  get(index: number): this {
    return this.op(Op.localGet, index);
  }

  set(index: number): this {
    return this.op(Op.localSet, index);
  }

  /** A memory access: opcode, then alignment (log2) and a constant byte offset. */
  memory(code: number, offset = 0, alignLog2 = 0): this {
    return this.op(code, alignLog2, offset);
  }

  simd(code: number, ...laneBytes: number[]): this {
    this.code.push(0xfd, ...unsignedLeb(code), ...laneBytes);
    return this;
  }

  simdMemory(code: number, offset = 0, alignLog2 = 0): this {
    this.simd(code);
    this.code.push(...unsignedLeb(alignLog2), ...unsignedLeb(offset));
    return this;
  }

  /** v128.const of sixteen zero bytes. */
  v128Zero(): this {
    this.simd(SimdOp.v128Const);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }

  bytes(): number[] {
    const declarations = this.locals.length === 0 ? [] : this.locals.map((type) => [1, type]);
    const body = [...unsignedLeb(declarations.length), ...declarations.flat(), ...this.code, Op.end];
    return [...unsignedLeb(body.length), ...body];
  }
}

export interface ExportedFunction {
  readonly name: string;
  readonly body: FunctionBody;
}

/**
 * A module importing `env.memory` (at least `minimumPages` 64 KiB pages) and exporting each function
 * by name.
 */
export function moduleBytes(functions: readonly ExportedFunction[], minimumPages = 1): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.body.params.map((t) => [t])),
    ...vector(f.body.results.map((t) => [t])),
  ]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(minimumPages)];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(functions.map((f) => f.body.bytes()))),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...unsignedLeb(bytes.length), ...bytes];
}

export function unsignedLeb(value: number): number[] {
  if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`LEB128 value ${value} must be ≥ 0`);
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

export function signedLeb(value: number): number[] {
  if (!Number.isInteger(value)) throw new RangeError(`LEB128 value ${value} must be an integer`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
