import { describe, expect, it } from 'vitest';
import { cutoutsFits } from '../../../service/domain/diffim/cutouts';
import { physicalPixels, readFits } from '../../../service/domain/fits';
import { tanWcs } from '../../../service/domain/wcs/tan-wcs';

// Cutouts made one after another with the same WCS (the second and later reuse the first header):
// each has its own size, origin and WCS shift, and its pixels, NaN where it leaves the image.

const WIDTH = 120;
const HEIGHT = 90;
const wcs = tanWcs(150, 2, 60.5, 45.5, [-5.5e-5, 0, 0, 5.5e-5]);
const image = {
  width: WIDTH,
  height: HEIGHT,
  image: new Float32Array(WIDTH * HEIGHT).map((_, i) => (i % WIDTH) + 1000 * Math.floor(i / WIDTH) + 0.25),
  variance: new Float32Array(WIDTH * HEIGHT),
  mask: new Uint16Array(WIDTH * HEIGHT),
};

describe('cutoutsFits', () => {
  it.each([
    { x: 60, y: 45, size: 30 },
    { x: 3.4, y: 80.6, size: 42 },
    { x: 118, y: 2, size: 31 },
    { x: 60, y: 45, size: 102 },
  ])('($x, $y), $size px: header, WCS shift and pixels, NaN outside', ({ x, y, size }) => {
    const x0 = Math.round(x) - Math.floor(size / 2);
    const y0 = Math.round(y) - Math.floor(size / 2);
    const [file] = cutoutsFits([image], wcs, x, y, size);
    const hdu = readFits(file as Uint8Array).hdus[0];
    if (hdu?.kind !== 'image') throw new Error('no image HDU');
    expect(hdu.axes).toEqual([size, size]);
    expect(hdu.header.number('CRPIX1')).toBeCloseTo(60.5 - x0, 9);
    expect(hdu.header.number('CRPIX2')).toBeCloseTo(45.5 - y0, 9);
    expect(hdu.header.number('LTV1')).toBe(-x0);
    expect(hdu.header.number('LTV2')).toBe(-y0);
    expect(hdu.header.number('CD2_2')).toBe(5.5e-5);
    const pixels = physicalPixels(hdu);
    for (let j = 0; j < size; j++)
      for (let i = 0; i < size; i++) {
        const sx = x0 + i;
        const sy = y0 + j;
        const value = pixels[j * size + i] as number;
        if (sx < 0 || sy < 0 || sx >= WIDTH || sy >= HEIGHT) expect(value).toBeNaN();
        else expect(value).toBe(image.image[sy * WIDTH + sx]);
      }
  });
});
