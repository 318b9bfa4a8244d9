import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleDetector,
  detectorGeometry,
  parseSection,
  RawFormatError,
  rawDetectorFromFits,
  section,
} from '../../../service/domain/camera-geometry';
import type { ImageHdu } from '../../../service/domain/fits';
import { readFitsFile } from '../../../service/fits-io/read-fits-file';
import { runIsr } from '../../../service/pipeline/tasks/isr/isr';

const RAW_EXAMPLES = path.resolve(__dirname, '../../../../shared/data/raw-examples');
const LSSTCAMSIM = path.join(RAW_EXAMPLES, '7024032100720-R22-S11-det094.fits.fz');
const LATISS = path.join(RAW_EXAMPLES, '3018092000065-det000.fits.gz');

function ampHeader(hdu: unknown, keyword: string): string {
  return String((hdu as ImageHdu).header.get(keyword));
}

describe('geometry against the LSSTCamSim example (e2v R22_S11, det 94)', () => {
  const file = readFitsFile(LSSTCAMSIM);
  const geometry = detectorGeometry('LSSTCam', 94);

  it('is the e2v detector R22_S11 whose amps are 576×2048 raws', () => {
    expect(geometry.detector.name).toBe('R22_S11');
    expect(geometry.vendor).toBe('E2V');
    expect(file.hdus.slice(1, 17).map((h) => (h as ImageHdu).axes)).toEqual(
      geometry.rawImages.map((r) => [r.width, r.height]),
    );
  });

  it("matches every amp's DATASEC and DETSEC (position and flips) card", () => {
    geometry.amps.forEach((amp, i) => {
      const hdu = file.hdus[i + 1];
      expect(ampHeader(hdu, 'EXTNAME')).toBe(amp.extname);
      expect(ampHeader(hdu, 'DATASEC')).toBe(section(amp.layout.data));
      expect(ampHeader(hdu, 'DETSEC')).toBe(section(amp.bbox, amp.flipX, amp.flipY));
    });
  });

  it('assembles into a 4096×4004 image, and runs through ISR (its pixels are all zero)', () => {
    const raw = rawDetectorFromFits(file, geometry);
    expect(raw.images).toHaveLength(16);
    expect(assembleDetector(raw)).toHaveLength(4096 * 4004);
    const { exposure, amps } = runIsr({ raw });
    expect([exposure.width, exposure.height]).toEqual([4096, 4004]);
    expect(amps.map((a) => a.overscanLevel)).toEqual(new Array(16).fill(0));
    expect(exposure.image.every((v) => v === 0)).toBe(true);
  });

  it('fails to read it as an HSC raw, saying why', () => {
    expect(() => rawDetectorFromFits(file, detectorGeometry('HSC', 0))).toThrow(
      /HDU 0 is empty but HSC detector 0 \(HSC\) needs 2144×4241/,
    );
  });
});

describe('geometry against the 2018 LATISS example (ITL)', () => {
  const file = readFitsFile(LATISS);
  const geometry = detectorGeometry('LATISS', 0);

  it("matches every amp's DATASEC, and its DETSEC mirrored top to bottom", () => {
    // The 2018 camera software numbered detector rows from the other end (C10 at the bottom, as
    // obs_lsst's geometry then had it); today's geometry puts C1n on top. Mirroring y maps one onto the other.
    geometry.amps.forEach((amp, i) => {
      const hdu = file.hdus[i + 1];
      expect(ampHeader(hdu, 'EXTNAME')).toBe(amp.extname);
      expect(ampHeader(hdu, 'DATASEC')).toBe(section(amp.layout.data));
      const detsec = parseSection(ampHeader(hdu, 'DETSEC'));
      if (detsec === undefined) throw new Error('DETSEC is not a section');
      const mirrored = { ...detsec.box, y0: geometry.height - detsec.box.y0 - detsec.box.height };
      expect({ box: mirrored, flipX: detsec.flipX, flipY: !detsec.flipY }).toEqual({
        box: amp.bbox,
        flipX: amp.flipX,
        flipY: amp.flipY,
      });
    });
  });

  it('assembles into a 4072×4000 image, and fails on an e2v geometry that does not fit', () => {
    expect(assembleDetector(rawDetectorFromFits(file, geometry))).toHaveLength(4072 * 4000);
    const wrong = detectorGeometry('LSSTCam', 'R22_S11', { ampSize: { dataWidth: 500, dataHeight: 2002 } });
    expect(() => rawDetectorFromFits(file, wrong)).toThrow(RawFormatError);
    expect(() => rawDetectorFromFits(file, wrong)).toThrow(
      /HDU 1 is 576×2048 but LSSTCam detector R22_S11 \(E2V\) needs 564×2048/,
    );
  });

  it('fails when the amps are out of order, naming the HDU and what it expected', () => {
    const swapped = {
      hdus: [file.hdus[0], file.hdus[2], file.hdus[1], ...file.hdus.slice(3)],
    } as typeof file;
    expect(() => rawDetectorFromFits(swapped, geometry)).toThrow(
      /HDU 1 is EXTNAME "Segment11" .* expects Segment10/,
    );
  });
});
