// Pixel boxes: 0-based origin and size, the way the camera geometry and the tasks address regions.

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

export function box(x0: number, y0: number, width: number, height: number): Box {
  return { x0, y0, width, height };
}

/**
 * IRAF section syntax (1-based, inclusive): `[x1:x2,y1:y2]`. With a flip the range runs backwards,
 * as in DETSEC cards (`[512:1,4004:2003]` for an amp flipped in x and y).
 */
export function section(b: Box, flipX = false, flipY = false): string {
  const xs = [b.x0 + 1, b.x0 + b.width];
  const ys = [b.y0 + 1, b.y0 + b.height];
  if (flipX) xs.reverse();
  if (flipY) ys.reverse();
  return `[${xs[0]}:${xs[1]},${ys[0]}:${ys[1]}]`;
}

export interface ParsedSection {
  readonly box: Box;
  readonly flipX: boolean;
  readonly flipY: boolean;
}

/** Parses an IRAF section; undefined when the text is not one. */
export function parseSection(text: string): ParsedSection | undefined {
  const match = /^\[(\d+):(\d+),(\d+):(\d+)\]$/.exec(text.trim());
  if (!match) return undefined;
  const [x1, x2, y1, y2] = match.slice(1).map(Number) as [number, number, number, number];
  return {
    box: box(Math.min(x1, x2) - 1, Math.min(y1, y2) - 1, Math.abs(x2 - x1) + 1, Math.abs(y2 - y1) + 1),
    flipX: x1 > x2,
    flipY: y1 > y2,
  };
}
