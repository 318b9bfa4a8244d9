// Source flags that come from a whole footprint: mask bits of any of its pixels, and whether it
// touches the matched filter's border (where part of the image was not seen).

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import type { Footprints } from './footprints';
import { SourceFlag } from './source-catalog';

export function measureFootprintFlags(
  exposure: MaskedImage,
  footprints: Footprints,
  border: number,
): Uint32Array {
  const { width, height, mask } = exposure;
  const flags = new Uint32Array(footprints.count);
  for (let f = 0; f < footprints.count; f++) {
    let bits = 0;
    let touchesBorder = false;
    for (let r = footprints.runStart[f] as number; r < (footprints.runStart[f + 1] as number); r++) {
      const y = footprints.runY[r] as number;
      const x0 = footprints.runX0[r] as number;
      const x1 = footprints.runX1[r] as number;
      if (y <= border || y >= height - border - 1 || x0 <= border || x1 >= width - border - 1)
        touchesBorder = true;
      for (let i = y * width + x0; i <= y * width + x1; i++) bits |= mask[i] as number;
    }
    flags[f] = sourceFlagsFromMask(bits) | (touchesBorder ? SourceFlag.EDGE : 0);
  }
  return flags;
}

function sourceFlagsFromMask(bits: number): number {
  let flags = 0;
  if (bits & MaskBit.SAT) flags |= SourceFlag.SATURATED;
  if (bits & (MaskBit.BAD | MaskBit.NO_DATA)) flags |= SourceFlag.BAD;
  if (bits & (MaskBit.INTRP | MaskBit.CR)) flags |= SourceFlag.INTERPOLATED;
  if (bits & MaskBit.SUSPECT) flags |= SourceFlag.SUSPECT;
  if (bits & MaskBit.EDGE) flags |= SourceFlag.EDGE;
  return flags;
}
