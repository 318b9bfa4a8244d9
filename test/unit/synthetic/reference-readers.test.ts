import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectorGeometry } from '../../../service/domain/camera-geometry';
import { makeMasterCalibrations } from '../../../tester/synthetic/master-calibrations';
import { simulateRaw } from '../../../tester/synthetic/simulate-raw';
import {
  writeMasterCalibrations,
  writeSyntheticExposure,
} from '../../../tester/synthetic/write-synthetic-exposure';
import {
  astropyDescribe,
  dtypeOf,
  fitsverify,
  pixelDigest,
  requireReferenceTools,
} from '../fits/reference-tools';
import { scaledDetector } from '../isr/scaled-detector';

const directory = mkdtempSync(path.join(tmpdir(), 'synthetic-reference-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeAll(() => requireReferenceTools());

const exposure = {
  dayObs: '20250314',
  seqNum: 7,
  groupId: '2025-03-14T03:00:00.000',
  imageType: 'OBJECT',
  filter: 'r_57',
  exposureTimeSeconds: 30,
  beginMjdTai: 60748.125,
  raDeg: 150.5,
  decDeg: -12.25,
  rotPaDeg: 30,
};

describe('synthetic files as astropy and fitsverify see them', () => {
  const lsstGeometry = scaledDetector('R22_S11', 2);
  const lsst = simulateRaw({
    geometry: lsstGeometry,
    seed: 3,
    electrons: new Float32Array(lsstGeometry.width * lsstGeometry.height).fill(300),
  });
  const lsstFile = writeSyntheticExposure(directory, lsst, exposure, { compress: true });
  const hscGeometry = detectorGeometry('HSC', 7);
  const hsc = simulateRaw({
    geometry: hscGeometry,
    seed: 4,
    electrons: new Float32Array(hscGeometry.width * hscGeometry.height).fill(20),
    gaussianAbove: 10,
  });
  const hscFile = writeSyntheticExposure(directory, hsc, { ...exposure, filter: 'HSC-R', exposureId: 998 });
  const calibrations = writeMasterCalibrations(
    path.join(directory, 'calib'),
    makeMasterCalibrations(lsstGeometry, { seed: 1 }),
    lsstGeometry,
    'r_57',
  );

  it('pass fitsverify with no errors and no warnings', () => {
    for (const file of [lsstFile.rawPath, hscFile.rawPath, calibrations.flatPath, calibrations.biasPath]) {
      const verdict = fitsverify(file);
      expect({ file, errors: verdict.errors, warnings: verdict.warnings }).toEqual({
        file,
        errors: 0,
        warnings: [],
      });
    }
  });

  it('read in astropy as the raws we made: amp names, int32 RICE tiles, HSC uint16, identical pixels', () => {
    const described = astropyDescribe([lsstFile.rawPath, hscFile.rawPath]);
    const lsstHdus = described[lsstFile.rawPath] ?? [];
    expect(lsstHdus.slice(1).map((h) => h.name)).toEqual(lsstGeometry.amps.map((a) => a.extname));
    lsstHdus.slice(1).forEach((hdu, i) => {
      const image = lsst.raw.images[i];
      if (!image) throw new Error('missing amp');
      expect(hdu).toMatchObject({
        compression: 'RICE_1',
        dtype: dtypeOf(image.pixels),
        shape: [image.height, image.width],
      });
      expect(hdu.sha256).toBe(pixelDigest(image.pixels));
    });
    const [hscHdu] = described[hscFile.rawPath] ?? [];
    const hscImage = hsc.raw.images[0];
    if (!hscImage) throw new Error('missing HSC image');
    expect(hscHdu).toMatchObject({
      dtype: 'uint16',
      shape: [4241, 2144],
      sha256: pixelDigest(hscImage.pixels),
    });
    expect(Object.fromEntries(hscHdu?.header ?? [])['EXP-ID']).toEqual({ str: 'HSCE00000998' });
  });
});
