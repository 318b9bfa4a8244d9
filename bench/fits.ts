// FITS decode benchmark: a RICE_1-compressed 16-amp raw (576×2048 int32 amps, bias + noise) and an
// uncompressed 4k×4k float32 image, read by our codec and, in the same run, by astropy (the peer).
// Prints JSON: medians over RUNS, and ours/astropy ratios. Usage: npm run bench:fits

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imageHdu, writeFits } from '../service/domain/fits';
import { seededUniform } from '../service/domain/synthetic/random';
import { readFitsFile } from '../service/fits-io/read-fits-file';

const RUNS = 7;
const PYTHON = '/usr/bin/python3';

/** A raw like LSSTCam's: 16 amps of bias ≈ 14000 ADU with read noise σ ≈ 8 ADU (Irwin–Hall of 4). */
function sixteenAmpRaw(): Uint8Array {
  const next = seededUniform(42);
  const amps = Array.from({ length: 16 }, (_, a) => {
    const pixels = new Int32Array(576 * 2048);
    for (let i = 0; i < pixels.length; i++) {
      pixels[i] = 14000 + a * 10 + Math.round((next() + next() + next() + next() - 2) * 14);
    }
    return imageHdu(pixels, [576, 2048], { extname: `Segment${a}`, compression: { type: 'RICE_1' } });
  });
  return writeFits([imageHdu(new Uint8Array(0), []), ...amps]);
}

function float4k(): Uint8Array {
  const next = seededUniform(7);
  const pixels = new Float32Array(4096 * 4096);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 1000 + (next() - 0.5) * 100;
  return writeFits([imageHdu(pixels, [4096, 4096])]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Reading from disk (page cache) and decoding every HDU through the file adapter, as astropy is measured. */
function timeOurs(file: string): number {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const { hdus } = readFitsFile(file);
    const elapsed = performance.now() - start;
    if (hdus.length === 0) throw new Error('nothing decoded');
    if (run > 0) times.push(elapsed); // run 0 warms the JIT
  }
  return median(times);
}

const ASTROPY_TIMER = `
import json, sys, time
import numpy as np
from astropy.io import fits
runs = int(sys.argv[1])
out = {}
for path in sys.argv[2:]:
    times = []
    for run in range(runs + 1):
        start = time.perf_counter()
        with fits.open(path, memmap=False) as hdul:
            # native byte order, as our decoder returns: astropy leaves plain images big-endian
            arrays = [np.asarray(h.data, dtype=h.data.dtype.newbyteorder("=")) for h in hdul if h.data is not None]
        elapsed = (time.perf_counter() - start) * 1000
        if run > 0:
            times.append(elapsed)
    out[path] = sorted(times)[len(times) // 2]
import astropy
json.dump({"version": astropy.__version__, "medians": out}, sys.stdout)
`;

function main(): void {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-fits-'));
  try {
    const raw = path.join(directory, 'raw-16amp-rice.fits.fz');
    const image = path.join(directory, 'float32-4k.fits');
    writeFileSync(raw, sixteenAmpRaw());
    writeFileSync(image, float4k());
    const peer = JSON.parse(
      execFileSync(PYTHON, ['-c', ASTROPY_TIMER, String(RUNS), raw, image], { encoding: 'utf8' }),
    ) as { version: string; medians: Record<string, number> };
    const entry = (file: string, what: string) => {
      const ours = timeOurs(file);
      const astropy = peer.medians[file] as number;
      return {
        what,
        fileBytes: statSync(file).size,
        oursMedianMs: Number(ours.toFixed(1)),
        astropyMedianMs: Number(astropy.toFixed(1)),
        ratioOursToAstropy: Number((ours / astropy).toFixed(2)),
      };
    };
    const report = {
      benchmark: 'fits-decode',
      runs: RUNS,
      node: process.version,
      peer: `astropy ${peer.version} via ${PYTHON} (fits.open memmap=False, data in native byte order)`,
      rice16Amp: entry(raw, 'RICE_1 raw, primary + 16 int32 amps of 576x2048, tiles 576x1'),
      float4k: entry(image, 'uncompressed float32 4096x4096'),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main();
