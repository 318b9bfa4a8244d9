// Just enough of the BINTABLE format (standard §7.3) to read tile-compressed images: where each
// column sits in a row, scalar cells, and variable-length array descriptors pointing into the heap.

import { FitsError } from './errors';
import type { Header } from './header';

const TYPE_WIDTH: Readonly<Record<string, number>> = {
  L: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export interface Column {
  readonly name: string;
  /** TFORM type letter: 'P'/'Q' for variable-length arrays. */
  readonly type: string;
  /** For 'P'/'Q' columns: the element type of the array in the heap. */
  readonly elementType: string | undefined;
  readonly repeat: number;
  /** Byte offset of the column inside a row. */
  readonly offset: number;
}

export interface TableLayout {
  readonly rowLength: number;
  readonly rows: number;
  readonly columns: readonly Column[];
  /** Byte offset of the heap from the start of the data unit. */
  readonly heapOffset: number;
  readonly heapLength: number;
}

export function readTableLayout(header: Header): TableLayout {
  const rowLength = header.requiredInteger('NAXIS1');
  const rows = header.requiredInteger('NAXIS2');
  const fields = header.requiredInteger('TFIELDS');
  const columns: Column[] = [];
  let offset = 0;
  for (let i = 1; i <= fields; i++) {
    const tform = header.string(`TFORM${i}`);
    if (tform === undefined) throw new FitsError(`required keyword TFORM${i} is missing`);
    const match = /^\s*(\d*)([LXBIJKAEDCMPQ])([A-Z]?)/.exec(tform.toUpperCase());
    if (!match) throw new FitsError(`TFORM${i} = '${tform}' is not a binary-table format`);
    const repeat = match[1] === '' ? 1 : Number(match[1]);
    const type = match[2] as string;
    const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * (TYPE_WIDTH[type] ?? 0);
    const isArray = type === 'P' || type === 'Q';
    columns.push({
      name: (header.string(`TTYPE${i}`) ?? '').trim(),
      type,
      elementType: isArray ? match[3] || undefined : undefined,
      repeat,
      offset,
    });
    offset += width;
  }
  if (offset !== rowLength) {
    throw new FitsError(`the TFORMn widths add up to ${offset} bytes but NAXIS1 = ${rowLength}`);
  }
  const mainLength = rowLength * rows;
  const heapOffset = header.integer('THEAP') ?? mainLength;
  const pcount = header.integer('PCOUNT') ?? 0;
  return { rowLength, rows, columns, heapOffset, heapLength: mainLength + pcount - heapOffset };
}

export function findColumn(layout: TableLayout, name: string): Column | undefined {
  return layout.columns.find((column) => column.name === name);
}

/** The bytes of a variable-length array cell (row is 0-based). */
export function arrayCell(data: DataView, layout: TableLayout, column: Column, row: number): Uint8Array {
  const at = row * layout.rowLength + column.offset;
  let count: number;
  let offset: number;
  if (column.type === 'P') {
    count = data.getInt32(at);
    offset = data.getInt32(at + 4);
  } else {
    count = Number(data.getBigInt64(at));
    offset = Number(data.getBigInt64(at + 8));
  }
  const width = TYPE_WIDTH[column.elementType ?? 'B'] ?? 1;
  const start = layout.heapOffset + offset;
  const end = start + count * width;
  if (count < 0 || offset < 0 || end > layout.heapOffset + layout.heapLength || end > data.byteLength) {
    throw new FitsError(`row ${row + 1} of column ${column.name} points outside the heap`);
  }
  return new Uint8Array(data.buffer, data.byteOffset + start, end - start);
}

/** A numeric scalar cell (row is 0-based). */
export function scalarCell(data: DataView, layout: TableLayout, column: Column, row: number): number {
  const at = row * layout.rowLength + column.offset;
  switch (column.type) {
    case 'D':
      return data.getFloat64(at);
    case 'E':
      return data.getFloat32(at);
    case 'J':
      return data.getInt32(at);
    case 'I':
      return data.getInt16(at);
    case 'K':
      return Number(data.getBigInt64(at));
    case 'B':
      return data.getUint8(at);
    default:
      throw new FitsError(`column ${column.name} has type ${column.type}, not a number`);
  }
}
