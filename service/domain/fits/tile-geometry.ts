// Where each compression tile sits in the image: tiles are numbered with the first axis varying
// fastest, edge tiles are cut to the image, and a tile's pixels are contiguous in the image only when
// it spans every faster axis in full — then it can be decoded in place with no copy.

import { FitsError } from './errors';

export interface TileGrid {
  readonly axes: readonly number[];
  readonly tile: readonly number[];
  /** Tiles along each axis. */
  readonly counts: readonly number[];
  readonly tileCount: number;
  /** Pixels in the largest tile. */
  readonly maxTilePixels: number;
}

export interface TileRegion {
  readonly start: readonly number[];
  readonly size: readonly number[];
  readonly pixels: number;
  /** Linear index of the tile's first pixel when its pixels are contiguous in the image, else -1. */
  readonly contiguousOffset: number;
}

export function tileGrid(axes: readonly number[], tile: readonly number[]): TileGrid {
  if (tile.length !== axes.length)
    throw new FitsError(`tile has ${tile.length} axes but the image has ${axes.length}`);
  const counts = axes.map((n, i) => Math.ceil(n / (tile[i] as number)));
  const tileCount = axes.length === 0 ? 0 : counts.reduce((a, b) => a * b, 1);
  const maxTilePixels = tile.reduce((a, b, i) => a * Math.min(b, axes[i] as number), 1);
  return { axes, tile, counts, tileCount, maxTilePixels };
}

export function tileRegion(grid: TileGrid, index: number): TileRegion {
  const { axes, tile, counts } = grid;
  const start: number[] = [];
  const size: number[] = [];
  let rest = index;
  for (let i = 0; i < axes.length; i++) {
    const count = counts[i] as number;
    const at = (rest % count) * (tile[i] as number);
    rest = Math.floor(rest / count);
    start.push(at);
    size.push(Math.min(tile[i] as number, (axes[i] as number) - at));
  }
  const pixels = size.reduce((a, b) => a * b, 1);
  return { start, size, pixels, contiguousOffset: isContiguous(axes, size) ? linearIndex(axes, start) : -1 };
}

/** A tile is one run of pixels when, below its last axis longer than 1, it covers whole axes. */
function isContiguous(axes: readonly number[], size: readonly number[]): boolean {
  let last = 0;
  for (let i = 0; i < size.length; i++) if ((size[i] as number) > 1) last = i;
  for (let i = 0; i < last; i++) if (size[i] !== axes[i]) return false;
  return true;
}

function linearIndex(axes: readonly number[], position: readonly number[]): number {
  let index = 0;
  let stride = 1;
  for (let i = 0; i < axes.length; i++) {
    index += (position[i] as number) * stride;
    stride *= axes[i] as number;
  }
  return index;
}

/**
 * Copies a tile between its own packed buffer and the image, one run along axis 1 at a time
 * (`toImage` picks the direction). Works on bytes so that one routine serves every pixel type.
 */
export function copyTile(
  grid: TileGrid,
  region: TileRegion,
  tileBytes: Uint8Array,
  imageBytes: Uint8Array,
  width: number,
  toImage: boolean,
): void {
  const { axes } = grid;
  const run = (region.size[0] as number) * width;
  const position = [...region.start];
  const runs = region.pixels / (region.size[0] as number);
  for (let r = 0; r < runs; r++) {
    const imageAt = linearIndex(axes, position) * width;
    const tileAt = r * run;
    if (toImage) imageBytes.set(tileBytes.subarray(tileAt, tileAt + run), imageAt);
    else tileBytes.set(imageBytes.subarray(imageAt, imageAt + run), tileAt);
    for (let i = 1; i < axes.length; i++) {
      const next = (position[i] as number) + 1;
      if (next < (region.start[i] as number) + (region.size[i] as number)) {
        position[i] = next;
        break;
      }
      position[i] = region.start[i] as number;
    }
  }
}
