import { describe, expect, it } from 'vitest';
import { rawKeyPrefix } from '../../service/domain/buckets';
import {
  detectorById,
  detectorByName,
  fanOutDetectorsFor,
  INSTRUMENT_NAMES,
  INSTRUMENTS,
  TESTER_SAL_INDEX,
} from '../../service/domain/instruments';
import { catchAllPipelinesConfig } from '../../service/domain/pipelines-config';
import { instrumentTopics } from '../../service/domain/topics';

describe('instrument catalog', () => {
  it('lists the four instruments with their codes, skymaps and key styles', () => {
    expect(INSTRUMENT_NAMES).toEqual(['LATISS', 'LSSTComCam', 'LSSTCam', 'HSC']);
    expect(INSTRUMENT_NAMES.map((n) => INSTRUMENTS[n].shortCode)).toEqual(['AT', 'CC', 'MC', undefined]);
    expect(INSTRUMENT_NAMES.map((n) => INSTRUMENTS[n].skymap)).toEqual([
      'latiss_v1',
      'lsst_cells_v1',
      'lsst_cells_v1',
      'hsc_rings_v1',
    ]);
    expect(INSTRUMENT_NAMES.map((n) => INSTRUMENTS[n].rawKeyStyle)).toEqual([
      'lsst',
      'lsst',
      'lsst',
      'other',
    ]);
  });

  it('numbers LATISS and ComCam detectors as upstream', () => {
    expect(INSTRUMENTS.LATISS.detectors).toEqual([{ id: 0, name: 'R00_S00' }]);
    const comCam = INSTRUMENTS.LSSTComCam;
    expect(comCam.detectors).toHaveLength(9);
    expect(detectorByName(comCam, 'R22_S21')?.id).toBe(7); // 3x + y
    expect(detectorById(comCam, 4)?.name).toBe('R22_S11');
  });

  it('numbers the 189 LSSTCam science detectors raft by raft', () => {
    const cam = INSTRUMENTS.LSSTCam;
    expect(cam.detectors).toHaveLength(189);
    expect(cam.detectors.map((d) => d.id)).toEqual([...Array(189).keys()]);
    expect(detectorByName(cam, 'R11_S20')?.id).toBe(42);
    expect(detectorById(cam, 0)?.name).toBe('R01_S00');
    expect(detectorById(cam, 188)?.name).toBe('R43_S22');
    expect(detectorByName(cam, 'R00_S00')).toBeUndefined();
    expect(new Set(cam.detectors.map((d) => d.name)).size).toBe(189);
  });

  it('fans HSC out to 103/104, or to a test subset chosen by salIndex', () => {
    expect(INSTRUMENTS.HSC.detectors).toHaveLength(112);
    expect(fanOutDetectorsFor(INSTRUMENTS.HSC, TESTER_SAL_INDEX)).toEqual([103, 104]);
    expect(fanOutDetectorsFor(INSTRUMENTS.HSC, 59142)).toEqual([0, 5, 11]);
    expect(fanOutDetectorsFor(INSTRUMENTS.LSSTCam, 1)).toHaveLength(189);
    expect(fanOutDetectorsFor(INSTRUMENTS.LATISS, 2)).toEqual([0]);
  });

  it('only fans out to detectors the instrument has', () => {
    for (const instrument of Object.values(INSTRUMENTS)) {
      const lists = [instrument.fanOutDetectors, ...Object.values(instrument.fanOutDetectorsBySalIndex)];
      for (const id of lists.flat())
        expect(detectorById(instrument, id), `${instrument.name} ${id}`).toBeDefined();
    }
  });

  it('names topics and key prefixes per instrument', () => {
    expect(instrumentTopics(INSTRUMENTS.LSSTComCam, 'dev-al-')).toEqual({
      nextVisit: 'dev-al-next-visit-lsstcomcam',
      rawNotifications: 'dev-al-raw-notifications-lsstcomcam',
      alerts: 'dev-al-alerts-lsstcomcam',
    });
    expect(rawKeyPrefix(INSTRUMENTS.HSC)).toBe('HSC/');
  });

  it('fails on a pipeline list that repeats a name (run names would collide)', () => {
    expect(() => catchAllPipelinesConfig(INSTRUMENTS.HSC, ['ApPipe', 'ApPipe'])).toThrow(
      'pipeline list for HSC repeats a name: ApPipe, ApPipe',
    );
  });
});
