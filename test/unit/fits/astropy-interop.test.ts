import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Card,
  type CompressionType,
  type Hdu,
  Header,
  type ImageHdu,
  imageHdu,
  physicalPixels,
} from '../../../service/domain/fits';
import { readFitsFile, writeFitsFile } from '../../../service/fits-io/read-fits-file';
import {
  type AstropyHdu,
  asAstropyValue,
  astropyDescribe,
  astropyWrite,
  dtypeOf,
  fitsverify,
  pixelDigest,
  requireReferenceTools,
} from './reference-tools';
import { SAMPLE_AXES, SAMPLE_TYPES, type SampleType, sampleImage } from './sample-images';

const primary = (cards: Card[] = []): ImageHdu => imageHdu(new Uint8Array(0), [], { cards });

const conventionCards: Card[] = [
  { keyword: 'LONGSTR', value: `it's a long value ${'that goes on and on, '.repeat(8)}end`, comment: 'long' },
  { keyword: 'ESO DET CHIP NAME', value: 'CCD-1', comment: 'a HIERARCH keyword' },
  { keyword: 'QUOTED', value: "it's" },
  { keyword: 'EXPTIME', value: 30, real: true },
  { keyword: 'SMALL', value: 1.234567890123457e-300 },
  { keyword: 'BIGINT', value: 2n ** 62n },
  { keyword: 'NEGBIG', value: -(2n ** 63n) },
  { keyword: 'FLAG', value: false },
  { keyword: 'UNDEF', value: null },
  { keyword: 'LEADING', value: '  leading spaces kept' },
  { keyword: 'COMMENT', comment: 'a comment card' },
  { keyword: 'HISTORY', comment: 'a history card' },
];

/** Every file we write for astropy to read, by name. */
function filesWeWrite(): Record<string, Hdu[]> {
  const files: Record<string, Hdu[]> = {};
  for (const type of SAMPLE_TYPES) {
    files[`plain-${type}`] = [
      imageHdu(sampleImage(type), SAMPLE_AXES, { cards: [{ keyword: 'SAMPLE', value: type }] }),
    ];
  }
  const scaled: ImageHdu = {
    kind: 'image',
    header: new Header([{ keyword: 'EXTNAME', value: 'SCALED' }]),
    bitpix: 16,
    axes: SAMPLE_AXES,
    stored: sampleImage('int16') as Int16Array,
    scaling: { bscale: 0.25, bzero: 10, blank: -32768n },
  };
  files['scaled-int16-blank'] = [primary(), scaled];
  const compressible: Record<CompressionType, readonly SampleType[]> = {
    RICE_1: ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32'],
    GZIP_1: SAMPLE_TYPES.filter((t) => t !== 'int64' && t !== 'uint64'),
    GZIP_2: SAMPLE_TYPES.filter((t) => t !== 'int64' && t !== 'uint64'),
  };
  for (const [type, samples] of Object.entries(compressible) as [CompressionType, SampleType[]][]) {
    for (const sample of samples) {
      const image = imageHdu(sampleImage(sample), SAMPLE_AXES, { extname: sample, compression: { type } });
      files[`${type}-${sample}`] = [primary(), image];
    }
    const tiled = imageHdu(sampleImage('int32'), SAMPLE_AXES, { compression: { type, tile: [8, 10] } });
    files[`${type}-tiles-int32`] = [primary(), tiled];
  }
  files['header-conventions'] = [imageHdu(sampleImage('int16'), SAMPLE_AXES, { cards: conventionCards })];
  files['multi-extension'] = [
    primary([{ keyword: 'INSTRUME', value: 'LSSTCamSim' }]),
    imageHdu(sampleImage('int16'), SAMPLE_AXES, { extname: 'SCI' }),
    imageHdu(sampleImage('int32', 2), SAMPLE_AXES, { extname: 'COMP', compression: { type: 'RICE_1' } }),
    imageHdu(sampleImage('float32', 3), SAMPLE_AXES, { extname: 'VAR' }),
  ];
  return files;
}

/** Pixels and every carried card of our HDU match what astropy read. */
function expectSameHdu(ours: Hdu, theirs: AstropyHdu | undefined, where: string): void {
  expect(theirs, `${where}: astropy sees the HDU`).toBeDefined();
  if (!theirs) return;
  if (ours.kind === 'image' && ours.axes.length > 0) {
    let pixels = physicalPixels(ours);
    // astropy 5.2 returns compressed BZERO = -128 images as float32 (plain ones as int8): same values.
    if (pixels instanceof Int8Array && ours.compression) pixels = Float32Array.from(pixels);
    expect(theirs.dtype, `${where}: dtype`).toBe(dtypeOf(pixels));
    expect(theirs.shape, `${where}: shape`).toEqual([...ours.axes].reverse());
    expect(theirs.sha256, `${where}: pixel digest`).toBe(pixelDigest(pixels));
  }
  const theirValues = new Map<string, unknown>();
  for (const [keyword, value] of theirs.header)
    if (!theirValues.has(keyword)) theirValues.set(keyword, value);
  for (const card of ours.header.cards) {
    if (card.value === undefined || /^(BZERO|BSCALE|BLANK|CHECKSUM|DATASUM)$/.test(card.keyword)) continue;
    expect(theirValues.get(card.keyword), `${where}: ${card.keyword}`).toEqual(
      asAstropyValue(card.value, card.real),
    );
  }
  const commentary = (cards: readonly (readonly [string, unknown])[]) =>
    cards.filter(([k]) => k === 'COMMENT' || k === 'HISTORY').map(([k, v]) => [k, v]);
  const ourCommentary = ours.header.cards
    .filter((c) => c.value === undefined && (c.keyword === 'COMMENT' || c.keyword === 'HISTORY'))
    .map((c) => [c.keyword, { str: c.comment ?? '' }]);
  expect(commentary(theirs.header), `${where}: commentary cards`).toEqual(ourCommentary);
}

describe('astropy reads the files we write', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'fits-ours-'));
  const files = filesWeWrite();
  const paths = Object.fromEntries(
    Object.keys(files).map((name) => [name, path.join(directory, `${name}.fits`)]),
  );
  let astropy: Record<string, AstropyHdu[]> = {};

  beforeAll(() => {
    requireReferenceTools();
    for (const [name, hdus] of Object.entries(files)) writeFitsFile(paths[name] as string, hdus);
    astropy = astropyDescribe(Object.values(paths));
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(Object.keys(files))(
    '%s: same pixels and header values in astropy, and fitsverify passes',
    (name) => {
      const file = paths[name] as string;
      const hdus = files[name] as Hdu[];
      const theirs = astropy[file] ?? [];
      expect(theirs).toHaveLength(hdus.length);
      hdus.forEach((hdu, i) => {
        expectSameHdu(hdu, theirs[i], `${name} HDU ${i}`);
      });
      const verdict = fitsverify(file);
      expect(verdict.errors, verdict.report).toBe(0);
      // An undefined value is legal FITS; fitsverify merely remarks on it. Nothing else is allowed.
      const allowed = name === 'header-conventions' ? /UNDEF has a null value/ : /^$/;
      expect(
        verdict.warnings.filter((line) => !allowed.test(line)),
        verdict.report,
      ).toEqual([]);
    },
  );

  it.each(Object.keys(files))('%s: reads back identically with our reader', (name) => {
    const back = readFitsFile(paths[name] as string).hdus;
    const hdus = files[name] as Hdu[];
    expect(back).toHaveLength(hdus.length);
    back.forEach((hdu, i) => {
      const original = hdus[i] as ImageHdu;
      expect(hdu.kind).toBe('image');
      if (hdu.kind !== 'image') return;
      expect(hdu.axes).toEqual(original.axes);
      expect(pixelDigest(physicalPixels(hdu))).toBe(pixelDigest(physicalPixels(original)));
      expect(hdu.compression?.type).toBe(original.compression?.type);
    });
  });
});

describe('we read the files astropy writes', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'fits-astropy-'));
  let astropy: Record<string, AstropyHdu[]> = {};

  beforeAll(() => {
    requireReferenceTools();
    astropy = astropyWrite(directory);
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('astropy wrote every case (plain, scaled, headers, MEF, RICE/GZIP ints, quantized and lossless floats)', () => {
    expect(Object.keys(astropy).length).toBeGreaterThanOrEqual(50);
  });

  it('every file: same HDUs, dtypes, shapes, pixels (quantized floats as astropy restores them) and header values', () => {
    for (const [file, theirs] of Object.entries(astropy)) {
      const ours = readFitsFile(file).hdus;
      const name = path.basename(file);
      expect(ours.length, `${name}: HDU count`).toBe(theirs.length);
      ours.forEach((hdu, i) => {
        const expected = theirs[i] as AstropyHdu;
        if (hdu.kind === 'image') {
          expect(hdu.compression?.type, `${name} HDU ${i}: compression`).toBe(expected.compression);
        }
        expectSameHduFromAstropy(hdu, expected, `${name} HDU ${i}`);
      });
    }
  });
});

/** Every astropy card value is ours too (astropy merges CONTINUE cards and strips HIERARCH, as we do). */
function expectSameHduFromAstropy(ours: Hdu, theirs: AstropyHdu, where: string): void {
  if (ours.kind === 'image' && theirs.sha256 !== undefined) {
    const pixels = physicalPixels(ours);
    expect(dtypeOf(pixels), `${where}: dtype`).toBe(theirs.dtype);
    expect([...ours.axes].reverse(), `${where}: shape`).toEqual(theirs.shape);
    expect(pixelDigest(pixels), `${where}: pixel digest`).toBe(theirs.sha256);
  }
  for (const [keyword, value] of theirs.header) {
    if (keyword === 'COMMENT' || keyword === 'HISTORY' || keyword === '') continue;
    // astropy leaves ZDITHER0 in a compressed image's header (to re-quantize with the same seed);
    // it describes the table, not the image, so our image header drops it.
    if (keyword === 'ZDITHER0') continue;
    const card = ours.header.cards.find((c) => c.keyword === keyword && c.value !== undefined);
    expect(asAstropyValue(card?.value, card?.real), `${where}: ${keyword}`).toEqual(value);
  }
}
