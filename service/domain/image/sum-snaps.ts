// The visit image of a multi-snap visit (upstream: calibrateImage's snap combination, before
// characterization): pixel sums of the snaps' images and variances (the snaps' noise is independent),
// masks OR-ed, the header of the first snap with the visit's total exposure time and time span.

import type { Header } from '../fits';
import type { Exposure, ExposureInfo } from './exposure';

export class SnapMismatchError extends Error {
  override readonly name = 'SnapMismatchError';
}

function visitHeader(snaps: readonly Exposure[]): Header {
  const first = snaps[0] as Exposure;
  const last = snaps[snaps.length - 1] as Exposure;
  const times = snaps.map((s) => s.metadata.number('EXPTIME'));
  let header = first.metadata;
  if (times.every((t) => t !== undefined)) {
    header = header.with({ keyword: 'EXPTIME', value: times.reduce((a, b) => a + b, 0), real: true });
  }
  const begin = first.metadata.number('MJD-BEG');
  const end = last.metadata.number('MJD-END');
  if (end !== undefined) header = header.with({ keyword: 'MJD-END', value: end, real: true });
  if (begin !== undefined && end !== undefined) {
    header = header.with({ keyword: 'MJD-AVG', value: (begin + end) / 2, real: true });
  }
  return header;
}

function visitInfo(snaps: readonly Exposure[]): ExposureInfo | undefined {
  const first = snaps[0]?.info;
  if (!first) return undefined;
  const infos = snaps.map((s) => s.info);
  const exposureTimes = infos.map((i) => i?.exposureTimeSeconds);
  const total = exposureTimes.every((t) => t !== undefined)
    ? exposureTimes.reduce((a, b) => a + b, 0)
    : undefined;
  return {
    ...first,
    darkTimeSeconds: infos.reduce((sum, i) => sum + (i?.darkTimeSeconds ?? 0), 0),
    ...(total === undefined ? {} : { exposureTimeSeconds: total }),
  };
}

/** One snap is the visit image as it is; more are summed. Throws when their shapes differ. */
export function sumSnaps(snaps: readonly Exposure[]): Exposure {
  const [first] = snaps;
  if (!first) throw new SnapMismatchError('a visit image needs at least one snap');
  if (snaps.length === 1) return first;
  const { width, height } = first;
  const n = width * height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const mask = new Uint16Array(n);
  for (const snap of snaps) {
    if (snap.width !== width || snap.height !== height) {
      throw new SnapMismatchError(
        `snaps differ in shape (${width}×${height} and ${snap.width}×${snap.height}): they cannot be summed`,
      );
    }
    const { image: pixels, variance: noise, mask: bits } = snap;
    for (let i = 0; i < n; i++) {
      image[i] = (image[i] as number) + (pixels[i] as number);
      variance[i] = (variance[i] as number) + (noise[i] as number);
      mask[i] = (mask[i] as number) | (bits[i] as number);
    }
  }
  const info = visitInfo(snaps);
  return { width, height, image, variance, mask, metadata: visitHeader(snaps), ...(info ? { info } : {}) };
}
