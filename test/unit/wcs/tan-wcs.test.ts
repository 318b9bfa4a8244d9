import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Header } from '../../../service/domain/fits';
import {
  pixelToSky,
  separationArcsec,
  skyToPixel,
  tanWcs,
  tanWcsFromHeader,
  WcsError,
} from '../../../service/domain/wcs/tan-wcs';
import { PYTHON } from '../fits/reference-tools';

const ARCSEC = 1 / 3600;

/** 0.2"/px, rotated by 30°, near the south celestial pole's neighbourhood to exercise the spherical terms. */
function rotatedHeader(): Header {
  const angle = (30 * Math.PI) / 180;
  const scale = 0.2 * ARCSEC;
  return new Header([
    { keyword: 'CTYPE1', value: 'RA---TAN' },
    { keyword: 'CTYPE2', value: 'DEC--TAN' },
    { keyword: 'CRVAL1', value: 150.25 },
    { keyword: 'CRVAL2', value: -62.5 },
    { keyword: 'CRPIX1', value: 2036.5 },
    { keyword: 'CRPIX2', value: 2000.5 },
    { keyword: 'CD1_1', value: -scale * Math.cos(angle) },
    { keyword: 'CD1_2', value: scale * Math.sin(angle) },
    { keyword: 'CD2_1', value: scale * Math.sin(angle) },
    { keyword: 'CD2_2', value: scale * Math.cos(angle) },
  ]);
}

describe('TAN WCS', () => {
  it('round-trips pixel → sky → pixel to 1e-6 px across a detector', () => {
    const wcs = tanWcsFromHeader(rotatedHeader());
    for (const [x, y] of [
      [0, 0],
      [4071, 0],
      [2035.5, 1999.5],
      [4071, 3999],
      [-500, 6000],
    ] as const) {
      const sky = pixelToSky(wcs, x, y);
      const back = skyToPixel(wcs, sky.ra, sky.dec);
      expect(back.x).toBeCloseTo(x, 6);
      expect(back.y).toBeCloseTo(y, 6);
    }
  });

  it('puts the reference pixel at CRVAL and agrees with astropy.wcs to 1e-6 arcsec', () => {
    const header = rotatedHeader();
    const wcs = tanWcsFromHeader(header);
    const atReference = pixelToSky(wcs, 2035.5, 1999.5);
    expect(atReference.ra).toBeCloseTo(150.25, 10);
    expect(atReference.dec).toBeCloseTo(-62.5, 10);
    const pixels = [
      [0, 0],
      [4071, 3999],
      [100.25, 3500.75],
    ];
    const cards = Object.fromEntries(header.cards.map((c) => [c.keyword, c.value]));
    const script = [
      'import json, sys',
      'from astropy.wcs import WCS',
      'h, pix = json.loads(sys.argv[1]), json.loads(sys.argv[2])',
      'w = WCS(h)',
      'print(json.dumps([list(map(float, w.wcs_pix2world([[x, y]], 0)[0])) for x, y in pix]))',
    ].join('\n');
    const astropy = JSON.parse(
      execFileSync(PYTHON, ['-c', script, JSON.stringify(cards), JSON.stringify(pixels)], {
        encoding: 'utf8',
      }),
    ) as [number, number][];
    pixels.forEach(([x, y], i) => {
      const ours = pixelToSky(wcs, x as number, y as number);
      const [ra, dec] = astropy[i] as [number, number];
      expect(separationArcsec(ours, { ra, dec })).toBeLessThan(1e-6);
    });
  });

  it('reads PC + CDELT the same as the equivalent CD matrix', () => {
    const cd = tanWcsFromHeader(rotatedHeader());
    const pc = tanWcsFromHeader(
      new Header([
        ...rotatedHeader().cards.filter((c) => !c.keyword.startsWith('CD')),
        { keyword: 'CDELT1', value: 0.2 * ARCSEC },
        { keyword: 'CDELT2', value: 0.2 * ARCSEC },
        { keyword: 'PC1_1', value: cd.cd11 / (0.2 * ARCSEC) },
        { keyword: 'PC1_2', value: cd.cd12 / (0.2 * ARCSEC) },
        { keyword: 'PC2_1', value: cd.cd21 / (0.2 * ARCSEC) },
        { keyword: 'PC2_2', value: cd.cd22 / (0.2 * ARCSEC) },
      ]),
    );
    expect(separationArcsec(pixelToSky(pc, 10, 3000), pixelToSky(cd, 10, 3000))).toBeLessThan(1e-9);
  });

  it('fails with a WcsError naming what is missing or unsupported', () => {
    const without = new Header(rotatedHeader().cards.filter((c) => c.keyword !== 'CRPIX2'));
    expect(() => tanWcsFromHeader(without)).toThrow(WcsError);
    expect(() => tanWcsFromHeader(without)).toThrow(/no numeric CRPIX2/);
    const sin = new Header([
      ...rotatedHeader().cards.filter((c) => c.keyword !== 'CTYPE1'),
      { keyword: 'CTYPE1', value: 'RA---SIN' },
    ]);
    expect(() => tanWcsFromHeader(sin)).toThrow(/only RA---TAN\/DEC--TAN/);
    expect(() => tanWcs(10, 20, 1, 1, [0, 0, 0, 0])).toThrow(/singular/);
  });
});
