import { describe, expect, it } from 'vitest';
import { instrumentByName } from '../../../service/domain/instruments';
import {
  detectorOfRawKey,
  lsstExposureId,
  lsstObsId,
  lsstRawKeyOf,
  otherRawKeyOf,
  parseRawKey,
  RawKeyError,
  sidecarKeyOf,
} from '../../../service/domain/raw-keys';

describe('raw keys', () => {
  it("reads upstream's LATISS example", () => {
    const key = parseRawKey('LATISS/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.fits');
    expect(key).toEqual({
      style: 'lsst',
      instrument: 'LATISS',
      dayObs: 20220321,
      obsId: 'AT_O_20220321_000002',
      controller: 'O',
      seqNum: 2,
      raftSensor: 'R00_S00',
      extension: '.fits',
    });
    expect(key && detectorOfRawKey(key)).toBe(0);
  });

  it("reads upstream's LSSTCam example as detector 42", () => {
    const key = parseRawKey('LSSTCam/20220321/MC_O_20220321_000004/MC_O_20220321_000004_R11_S20.fits');
    expect(key?.style).toBe('lsst');
    expect(key && detectorOfRawKey(key)).toBe(42);
  });

  it("reads upstream's HSC example", () => {
    const key = parseRawKey('HSC/42/2022032100001/0/404/k2022/HSC-2022032100001-0-404-k2022-42.fz');
    expect(key).toEqual({
      style: 'other',
      instrument: 'HSC',
      detector: 42,
      group: '2022032100001',
      snap: 0,
      exposureId: '404',
      filter: 'k2022',
    });
  });

  it.each(['LATISS', 'LSSTComCam', 'LSSTCam'] as const)('round-trips %s keys for every detector', (name) => {
    const instrument = instrumentByName(name);
    for (const detector of instrument.detectors) {
      const text = lsstRawKeyOf({
        instrument: name,
        dayObs: 20261128,
        controller: 'O',
        seqNum: 123,
        raftSensor: detector.name,
        extension: '.fz',
      });
      const key = parseRawKey(text);
      expect(key && detectorOfRawKey(key)).toBe(detector.id);
      expect(key).toMatchObject({ dayObs: 20261128, seqNum: 123, extension: '.fz' });
    }
  });

  it('round-trips HSC keys', () => {
    const parts = {
      instrument: 'HSC',
      detector: 50,
      group: '11020003',
      snap: 1,
      exposureId: '59150',
      filter: 'HSC_I',
    } as const;
    expect(parseRawKey(otherRawKeyOf(parts))).toEqual({ style: 'other', ...parts });
  });

  it('reads the ComCam folder alias as LSSTComCam', () => {
    const key = parseRawKey('ComCam/20241101/CC_O_20241101_000010/CC_O_20241101_000010_R22_S11.fits');
    expect(key?.instrument).toBe('LSSTComCam');
    expect(key && detectorOfRawKey(key)).toBe(4);
  });

  it.each([
    'LATISS/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.json',
    'Nikon/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.fits',
    'LATISS/20220321/AT_O_20220321_000002/AT_O_20220321_000003_R00_S00.fits',
    'LATISS/20220321/garbage/garbage_R00_S00.fits',
    'HSC/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.fits',
    'unobserved/readme.txt',
  ])('does not take %s for a raw of ours', (key) => {
    expect(parseRawKey(key)).toBeUndefined();
  });

  it('builds obs_ids and exposure ids as the cameras do', () => {
    expect(lsstObsId(instrumentByName('LATISS'), 'O', 20220405, 348)).toBe('AT_O_20220405_000348');
    expect(lsstExposureId(20220405, 348)).toBe(2022040500348);
  });

  it('fails on values that cannot be encoded', () => {
    expect(() => lsstObsId(instrumentByName('HSC'), 'O', 20220405, 1)).toThrow(RawKeyError);
    expect(() => lsstObsId(instrumentByName('LATISS'), 'O', 20220405, 1_000_000)).toThrow(/outside 0–999999/);
    expect(() => lsstExposureId(20220405, 100_000)).toThrow(/does not fit/);
    expect(() =>
      otherRawKeyOf({ instrument: 'HSC', detector: 1, group: 'a-b', snap: 0, exposureId: '1', filter: 'i' }),
    ).toThrow(/may not contain/);
  });

  it('names the sidecar beside a raw', () => {
    expect(sidecarKeyOf('LATISS/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.fits.gz')).toBe(
      'LATISS/20220321/AT_O_20220321_000002/AT_O_20220321_000002_R00_S00.json',
    );
    expect(() => sidecarKeyOf('LATISS/x.txt')).toThrow(/no FITS extension/);
  });
});
