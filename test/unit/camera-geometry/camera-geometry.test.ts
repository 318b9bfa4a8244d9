import { describe, expect, it } from 'vitest';
import {
  ampByName,
  detectorGeometry,
  LSST_AMP_ORDER,
  parseSection,
  section,
  UnknownDetectorError,
} from '../../../service/domain/camera-geometry';
import { INSTRUMENTS } from '../../../service/domain/instruments';

describe('detector geometry from the instrument catalog', () => {
  it('gives ITL detectors 4072×4000 from 16 amps of 509×2000 in 576×2048 raws', () => {
    const geometry = detectorGeometry('LATISS', 0);
    expect(geometry.vendor).toBe('ITL');
    expect([geometry.width, geometry.height]).toEqual([4072, 4000]);
    expect(geometry.amps.map((a) => a.name)).toEqual(LSST_AMP_ORDER);
    expect(geometry.amps.map((a) => a.extname)).toEqual(LSST_AMP_ORDER.map((n) => `Segment${n.slice(1)}`));
    const layout = geometry.amps[0]?.layout;
    expect(layout).toMatchObject({
      width: 576,
      height: 2048,
      data: { x0: 3, y0: 0, width: 509, height: 2000 },
      serialPrescan: { x0: 0, y0: 0, width: 3, height: 2000 },
      serialOverscan: { x0: 512, y0: 0, width: 64, height: 2000 },
      parallelOverscan: { x0: 3, y0: 2000, width: 509, height: 48 },
    });
  });

  it('gives e2v detectors 4096×4004 from amps of 512×2002 (10 prescan, 54 overscan, 46 parallel rows)', () => {
    const geometry = detectorGeometry('LSSTCam', 'R22_S11');
    expect(geometry.vendor).toBe('E2V');
    expect([geometry.width, geometry.height]).toEqual([4096, 4004]);
    expect(geometry.amps[0]?.layout).toMatchObject({
      width: 576,
      height: 2048,
      data: { x0: 10, width: 512, height: 2002 },
      serialOverscan: { x0: 522, width: 54 },
      parallelOverscan: { y0: 2002, height: 46 },
    });
  });

  it('picks the LSSTCam vendor per raft: ITL on R01–R03, R10, R20, R41–R43, e2v elsewhere', () => {
    const vendors = new Map<string, string>();
    for (const detector of INSTRUMENTS.LSSTCam.detectors) {
      vendors.set(detector.name.slice(0, 3), detectorGeometry('LSSTCam', detector.id).vendor);
    }
    expect([...vendors].filter(([, v]) => v === 'ITL').map(([raft]) => raft)).toEqual([
      'R01',
      'R02',
      'R03',
      'R10',
      'R20',
      'R41',
      'R42',
      'R43',
    ]);
    expect([...vendors.values()].filter((v) => v === 'E2V')).toHaveLength(13);
    expect(detectorGeometry('LSSTComCam', 'R22_S11').vendor).toBe('ITL');
  });

  it('places C1n in the upper half flipped in x and y, C0n in the lower half (x-flipped on ITL only)', () => {
    for (const [instrument, detector, flipLowerX] of [
      ['LSSTCam', 'R22_S11', false],
      ['LSSTCam', 'R10_S11', true],
    ] as const) {
      const geometry = detectorGeometry(instrument, detector);
      const c13 = ampByName(geometry, 'C13');
      const c03 = ampByName(geometry, 'C03');
      const w = geometry.width / 8;
      const h = geometry.height / 2;
      expect(c13).toMatchObject({
        flipX: true,
        flipY: true,
        bbox: { x0: 3 * w, y0: h, width: w, height: h },
      });
      expect(c03).toMatchObject({
        flipX: flipLowerX,
        flipY: false,
        bbox: { x0: 3 * w, y0: 0, width: w, height: h },
      });
    }
  });

  it('covers every detector pixel with exactly one amp', () => {
    for (const geometry of [
      detectorGeometry('LATISS', 0),
      detectorGeometry('LSSTCam', 94),
      detectorGeometry('HSC', 50),
    ]) {
      const cover = new Uint8Array(geometry.width * geometry.height);
      for (const { bbox } of geometry.amps) {
        for (let y = bbox.y0; y < bbox.y0 + bbox.height; y++) {
          for (let x = bbox.x0; x < bbox.x0 + bbox.width; x++)
            cover[y * geometry.width + x] = (cover[y * geometry.width + x] ?? 0) + 1;
        }
      }
      expect(cover.every((n) => n === 1)).toBe(true);
    }
  });

  it('scales LSST amps down for fast tests, keeping prescan and overscan widths', () => {
    const geometry = detectorGeometry('LSSTCam', 'R01_S00', { ampSize: { dataWidth: 64, dataHeight: 100 } });
    expect([geometry.width, geometry.height]).toEqual([512, 200]);
    expect(geometry.rawImages[0]).toEqual({ width: 3 + 64 + 64, height: 148 });
  });

  it('describes HSC raws as one 2144×4241 image of four amps, the second and fourth mirrored', () => {
    const geometry = detectorGeometry('HSC', 50);
    expect(geometry.rawFormat).toBe('hsc-single-hdu');
    expect(geometry.rawImages).toEqual([{ width: 2144, height: 4241 }]);
    expect([geometry.width, geometry.height]).toEqual([2048, 4176]);
    expect(
      geometry.amps.map((a) => [a.image, a.rawX0, a.layout.data.x0, a.layout.serialOverscan.x0]),
    ).toEqual([
      [0, 0, 8, 520],
      [0, 536, 16, 0],
      [0, 1072, 8, 520],
      [0, 1608, 16, 0],
    ]);
    const amp = geometry.amps[1];
    expect(amp?.layout).toMatchObject({
      data: { y0: 49, height: 4176 },
      serialPrescan: { x0: 528, width: 8 },
      parallelOverscan: { y0: 4225, height: 16 },
    });
    expect(amp).toMatchObject({ saturation: 55_000, bbox: { x0: 512, y0: 0, width: 512, height: 4176 } });
  });

  it('fails for a detector the catalog does not have, naming it', () => {
    expect(() => detectorGeometry('LSSTCam', 'R00_S00')).toThrow(UnknownDetectorError);
    expect(() => detectorGeometry('HSC', 112)).toThrow(/HSC has no detector 112/);
  });
});

describe('IRAF sections', () => {
  it('writes and parses flipped ranges the way DETSEC cards do', () => {
    const b = { x0: 0, y0: 2002, width: 512, height: 2002 };
    expect(section(b, true, true)).toBe('[512:1,4004:2003]');
    expect(parseSection('[512:1,4004:2003]')).toEqual({ box: b, flipX: true, flipY: true });
    expect(parseSection('[4:512,1:2000]')).toEqual({
      box: { x0: 3, y0: 0, width: 509, height: 2000 },
      flipX: false,
      flipY: false,
    });
    expect(parseSection('4:512,1:2000')).toBeUndefined();
  });
});
