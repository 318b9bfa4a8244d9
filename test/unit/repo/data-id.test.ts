import { describe, expect, it } from 'vitest';
import { dataIdKey, normalizeDataId, parseDataIdText } from '../../../service/domain/repo/data-id';
import { datasetTypeDefinition } from '../../../service/domain/repo/dataset-type';
import { DataIdError, InvalidDefinitionError } from '../../../service/domain/repo/repo-errors';

const dims = ['instrument', 'detector', 'exposure'];

describe('data ids', () => {
  it('orders keys by the universe and turns bigint ids into numbers', () => {
    const id = normalizeDataId(
      { exposure: 2024032100720n, detector: 42, instrument: 'LSSTCam' },
      dims,
      'raw',
    );
    expect(Object.keys(id)).toEqual(['instrument', 'detector', 'exposure']);
    expect(dataIdKey(id)).toBe('instrument=LSSTCam/detector=42/exposure=2024032100720');
  });

  it('fails on missing and unexpected keys, naming both', () => {
    expect(() => normalizeDataId({ instrument: 'LSSTCam', visit: 1 }, dims, 'raw')).toThrow(
      /missing detector, exposure; unexpected visit/,
    );
  });

  it('fails on mistyped values and on htm7 ids outside level 7', () => {
    expect(() =>
      normalizeDataId({ instrument: 'LSSTCam', detector: '42', exposure: 1 }, dims, 'raw'),
    ).toThrow(DataIdError);
    expect(() => normalizeDataId({ instrument: 'LSSTCam', detector: 4.5, exposure: 1 }, dims, 'raw')).toThrow(
      /detector must be an integer/,
    );
    expect(() => normalizeDataId({ htm7: 12 }, ['htm7'], 'refcat')).toThrow(/outside \[131072, 262143\]/);
    expect(normalizeDataId({ htm7: 131072 }, ['htm7'], 'refcat')).toEqual({ htm7: 131072 });
  });

  it('parses the CLI form, numbers for integer dimensions', () => {
    expect(parseDataIdText('instrument=LSSTCam,detector=42')).toEqual({
      instrument: 'LSSTCam',
      detector: 42,
    });
    expect(() => parseDataIdText('detector')).toThrow(/not name=value/);
  });
});

describe('dataset type definitions', () => {
  it('sorts dimensions and keeps the storage class', () => {
    expect(
      datasetTypeDefinition({
        name: 'calexp',
        dimensions: ['visit', 'detector', 'instrument'],
        storageClass: 'ExposureF',
      }),
    ).toEqual({
      name: 'calexp',
      dimensions: ['instrument', 'detector', 'visit'],
      storageClass: 'ExposureF',
      isCalibration: false,
    });
  });

  it('fails on unknown dimensions, a missing required one, and bad names', () => {
    expect(() =>
      datasetTypeDefinition({ name: 'x', dimensions: ['instrument', 'ccd'], storageClass: 'A' }),
    ).toThrow(/unknown dimension\(s\) ccd/);
    expect(() => datasetTypeDefinition({ name: 'x', dimensions: ['detector'], storageClass: 'A' })).toThrow(
      /detector requires instrument/,
    );
    expect(() => datasetTypeDefinition({ name: '1x', dimensions: [], storageClass: 'A' })).toThrow(
      InvalidDefinitionError,
    );
  });
});
