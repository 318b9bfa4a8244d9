import { describe, expect, it } from 'vitest';
import {
  type AmpGeometry,
  assembleAmp,
  assembleDetector,
  detectorGeometry,
  type RawDetector,
} from '../../../service/domain/camera-geometry';

/** A raw whose every pixel says where it came from: amp·10^6 + raw row·1000 + raw column. */
function labelledRaw(
  instrument: 'LSSTCam' | 'HSC',
  detector: string | number,
  ampSize?: { dataWidth: number; dataHeight: number },
): RawDetector {
  const geometry = detectorGeometry(instrument, detector, ampSize ? { ampSize } : {});
  const images = geometry.rawImages.map(({ width, height }) => ({
    width,
    height,
    pixels: new Float64Array(width * height),
  }));
  geometry.amps.forEach((amp, a) => {
    const image = images[amp.image];
    if (!image) throw new Error('no image');
    for (let r = 0; r < amp.layout.height; r++) {
      for (let c = 0; c < amp.layout.width; c++) {
        image.pixels[(amp.rawY0 + r) * image.width + amp.rawX0 + c] = a * 1e6 + r * 1000 + c;
      }
    }
  });
  return { geometry, images };
}

function rawCornerLandsAt(amp: AmpGeometry): [number, number] {
  // The first data pixel read (lowest raw row and column) sits at the flipped corner of the bbox.
  const { bbox } = amp;
  return [amp.flipX ? bbox.x0 + bbox.width - 1 : bbox.x0, amp.flipY ? bbox.y0 + bbox.height - 1 : bbox.y0];
}

describe('assembly', () => {
  for (const detector of ['R22_S11', 'R10_S11']) {
    it(`puts each amp's data, flipped as the geometry says, into its bbox (${detector})`, () => {
      const raw = labelledRaw('LSSTCam', detector, { dataWidth: 40, dataHeight: 30 });
      const { geometry } = raw;
      const image = assembleDetector(raw);
      geometry.amps.forEach((amp, a) => {
        const { data } = amp.layout;
        const [x, y] = rawCornerLandsAt(amp);
        expect(image[y * geometry.width + x]).toBe(a * 1e6 + data.y0 * 1000 + data.x0);
        // One step along the raw row moves one pixel in x, backwards when flipped.
        const nextX = x + (amp.flipX ? -1 : 1);
        expect(image[y * geometry.width + nextX]).toBe(a * 1e6 + data.y0 * 1000 + data.x0 + 1);
        const nextY = y + (amp.flipY ? -1 : 1);
        expect(image[nextY * geometry.width + x]).toBe(a * 1e6 + (data.y0 + 1) * 1000 + data.x0);
        // Nothing from the prescan or overscan columns arrives anywhere in the bbox.
        for (let yy = amp.bbox.y0; yy < amp.bbox.y0 + amp.bbox.height; yy++) {
          for (let xx = amp.bbox.x0; xx < amp.bbox.x0 + amp.bbox.width; xx++) {
            const label = image[yy * geometry.width + xx] as number;
            const column = label % 1000;
            const row = Math.floor(label / 1000) % 1000;
            expect(Math.floor(label / 1e6)).toBe(a);
            if (column < data.x0 || column >= data.x0 + data.width || row >= data.height)
              throw new Error(`non-data pixel ${label}`);
          }
        }
      });
    });
  }

  it('assembles HSC amps side by side, skipping mirrored overscan columns', () => {
    const raw = labelledRaw('HSC', 42);
    const image = assembleDetector(raw);
    const width = raw.geometry.width;
    // Amp 2 (index 1) keeps its overscan in raw columns 0..15: its first data column is raw 16.
    expect(image[0 * width + 512]).toBe(1e6 + 49 * 1000 + 16);
    expect(image[0 * width + 511]).toBe(0 * 1e6 + 49 * 1000 + 8 + 511);
    expect(image[4175 * width + 2047]).toBe(3e6 + (49 + 4175) * 1000 + 16 + 511);
  });

  it('subtracts row and column levels, scales, and flags saturated raw values', () => {
    const geometry = detectorGeometry('LSSTCam', 'R22_S11', { ampSize: { dataWidth: 4, dataHeight: 3 } });
    const amp = geometry.amps[15] as AmpGeometry; // C00: no flips on e2v
    const { layout } = amp;
    const pixels = new Int32Array(layout.width * layout.height).fill(1000);
    pixels[0 * layout.width + layout.data.x0 + 2] = 5000;
    const target = new Float32Array(geometry.width * geometry.height);
    const mask = new Uint16Array(target.length);
    const rowLevels = new Float64Array(layout.height).fill(900);
    const columnLevels = Float64Array.from([0, 10, 20, 30]);
    assembleAmp(pixels, layout.width, amp, target, geometry.width, {
      rowLevels,
      columnLevels,
      scale: 2,
      mask,
      saturation: 4000,
      saturatedBit: 2,
    });
    expect(Array.from(target.subarray(0, 4))).toEqual([200, 180, 8160, 140]);
    expect(Array.from(mask.subarray(0, 4))).toEqual([0, 0, 2, 0]);
  });
});
