// The lsst.v11_0 alert schema with BigInt longs: the upstream sample (diaSourceId > 2^53) and our own
// alerts decode with the same schema; Confluent framing; cutouts are FITS.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  AlertDecodeError,
  alertEncoder,
  alertRecord,
  decodeAlert,
  diaObjectRow,
  encodeAlert,
} from '../../../service/alerts/alert-packet';
import { ALERT_SCHEMA_ID, loadAlertSchema } from '../../../service/alerts/alert-schema';
import { AlertFramingError, frameAlert } from '../../../service/alerts/wire-format';
import { cutoutFits, cutoutSize } from '../../../service/domain/diffim/cutouts';
import { readFits } from '../../../service/domain/fits';
import { tanWcs } from '../../../service/domain/wcs/tan-wcs';
import { repoRoot, sharedDir } from '../../support/local-services';

const schema = loadAlertSchema();
const SAMPLE = join(sharedDir, 'schemas', 'alert', 'sample_data', 'fakeAlert.avro');

function readSample(): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const records: Record<string, unknown>[] = [];
    avro
      .createFileDecoder(SAMPLE, { readerSchema: schema.alert })
      .on('data', (r: Record<string, unknown>) => records.push(r))
      .on('end', () => resolve(records))
      .on('error', reject);
  });
}

describe('lsst.v11_0 alerts', () => {
  it('decodes the upstream fakeAlert.avro with BigInt ids beyond 2^53 and re-encodes it framed', async () => {
    const [sample] = await readSample();
    expect(sample).toBeDefined();
    // The sample's top-level id is small; its DiaSource's is the one beyond 2^53.
    expect(sample?.diaSourceId).toBe(1231321321n);
    const id = (sample?.diaSource as Record<string, unknown> | undefined)?.diaSourceId as bigint;
    expect(typeof id).toBe('bigint');
    expect(id).toBe(281323062375219200n);
    expect(id > 2n ** 53n).toBe(true);
    const framed = encodeAlert(schema, sample as Record<string, unknown>);
    expect([...framed.subarray(0, 5)]).toEqual([0, 0, 0, 0x04, 0x4c]);
    const again = decodeAlert(schema, framed);
    expect((again.diaSource as Record<string, unknown>).diaSourceId).toBe(id);
    expect(again).toEqual(sample);
  });

  it('encodes our alert with history, object and FITS cutouts, and decodes it with the same schema', () => {
    const wcs = tanWcs(150, 2, 50.5, 50.5, [-5.5e-5, 0, 0, 5.5e-5]);
    const image = {
      width: 100,
      height: 100,
      image: new Float32Array(10000).map((_, i) => i),
      variance: new Float32Array(10000),
      mask: new Uint16Array(10000),
    };
    const size = cutoutSize(12);
    const cutout = cutoutFits(image, wcs, 10, 60, size);
    const diaSourceId = (2026112800123n << 22n) | 17n;
    const record = alertRecord(schema, {
      diaSource: {
        diaSourceId,
        diaObjectId: diaSourceId,
        visit: 2026112800123n,
        detector: 94,
        midpointMjdTai: 61000.1,
        ra: 150,
        dec: 2,
        x: 10,
        y: 60,
        psfFlux: 1234.5,
        snr: 7.5,
        band: 'r',
        timeProcessedMjdTai: 61000.2,
        bboxSize: 12,
        isNegative: false,
      },
      prvDiaSources: [
        {
          diaSourceId: diaSourceId - 5n,
          visit: 1n,
          detector: 94,
          midpointMjdTai: 60990,
          ra: 150,
          dec: 2,
          x: 1,
          y: 1,
          timeProcessedMjdTai: 60990,
          bboxSize: 9,
          pixelId: 123n,
        },
      ],
      prvDiaForcedSources: [],
      diaObject: diaObjectRow(
        {
          diaObjectId: diaSourceId,
          ra: 150,
          dec: 2,
          nDiaSources: 2,
          psfFlux: { r: { mean: 1000, meanErr: 50, ndata: 2 } },
        },
        61000.1,
      ),
      cutoutDifference: cutout,
      cutoutScience: cutout,
      cutoutTemplate: cutout,
    });
    const decoded = decodeAlert(schema, encodeAlert(schema, record));
    expect(decoded.diaSourceId).toBe(diaSourceId);
    const source = decoded.diaSource as Record<string, unknown>;
    expect(source).toMatchObject({
      visit: 2026112800123n,
      detector: 94,
      band: 'r',
      bboxSize: 12,
      isNegative: false,
      psfNdata: 0,
    });
    expect(source.psfFlux).toBeCloseTo(1234.5, 2);
    expect((decoded.prvDiaSources as unknown[]).length).toBe(1);
    expect(decoded.diaObject).toMatchObject({
      diaObjectId: diaSourceId,
      nDiaSources: 2,
      r_psfFluxNdata: 2,
      g_psfFluxNdata: 0,
      g_psfFluxMean: null,
    });
    const fits = readFits(new Uint8Array(decoded.cutoutScience as Buffer));
    const hdu = fits.hdus[0];
    expect(hdu?.kind === 'image' && hdu.axes).toEqual([30, 30]);
    expect(hdu?.header.number('CRPIX1')).toBeCloseTo(50.5 - (10 - 15), 6);
  });

  it('encodes alerts one after another, past its first scratch size, each into its own buffer', async () => {
    const [sample] = await readSample();
    const encode = alertEncoder(schema);
    // 40 KB, then 120 KB (past the 64 KiB scratch), then 40 KB again: each decodes to its own bytes.
    const sizes = [10_000, 30_000, 10_000];
    const messages = sizes.map((n, k) =>
      encode({
        ...(sample as Record<string, unknown>),
        cutoutDifference: Buffer.alloc(n * 4, k + 1),
      }),
    );
    messages.forEach((message, k) => {
      expect([...message.subarray(0, 5)]).toEqual([0, 0, 0, 0x04, 0x4c]);
      const decoded = decodeAlert(schema, message);
      expect((decoded.cutoutDifference as Buffer).length).toBe((sizes[k] as number) * 4);
      expect((decoded.cutoutDifference as Buffer).every((byte) => byte === k + 1)).toBe(true);
      expect(message.equals(encodeAlert(schema, decoded))).toBe(true);
    });
  });

  it('ships the same schemas as ../shared/schemas/alert (JSON content)', () => {
    for (const name of [
      'alert',
      'diaSource',
      'diaForcedSource',
      'diaObject',
      'ssSource',
      'mpc_orbits',
      'ssObject',
    ]) {
      const shipped = JSON.parse(
        readFileSync(join(repoRoot, 'service', 'alerts', 'schema', `lsst.v11_0.${name}.json`), 'utf8'),
      );
      const upstream = JSON.parse(
        readFileSync(join(sharedDir, 'schemas', 'alert', `lsst.v11_0.${name}.avsc`), 'utf8'),
      );
      expect(shipped).toEqual(upstream);
    }
  });

  it('clamps cutouts to 30–102 pixels', () => {
    expect(cutoutSize(3)).toBe(30);
    expect(cutoutSize(64)).toBe(64);
    expect(cutoutSize(500)).toBe(102);
  });

  it('fails to decode an unframed message or one with another schema id', () => {
    expect(() => decodeAlert(schema, Buffer.from([1, 2, 3]))).toThrow(AlertFramingError);
    expect(() => decodeAlert(schema, frameAlert(Buffer.alloc(4), 701))).toThrow(AlertDecodeError);
    expect(ALERT_SCHEMA_ID).toBe(1100);
  });
});
