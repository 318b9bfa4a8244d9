import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/prompt-fits.cjs');
const LSSTCAMSIM = path.resolve(ROOT, '../shared/data/raw-examples/7024032100720-R22-S11-det094.fits.fz');
const LATISS = path.resolve(ROOT, '../shared/data/raw-examples/3018092000065-det000.fits.gz');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('prompt-fits (the bin, through tsx)', () => {
  it('info --json lists every HDU with type, BITPIX, shape, compression, EXTNAME and statistics', () => {
    const { code, stdout } = run('info', LSSTCAMSIM, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { hdus: Record<string, unknown>[] };
    expect(report.hdus).toHaveLength(17);
    expect(report.hdus[0]).toMatchObject({ index: 0, type: 'PRIMARY', bitpix: 8, shape: [], nanCount: null });
    expect(report.hdus[16]).toEqual({
      index: 16,
      type: 'IMAGE',
      extname: 'Segment00',
      bitpix: 32,
      shape: [576, 2048],
      compression: 'RICE_1',
      min: 0,
      max: 0,
      mean: 0,
      nanCount: 0,
    });
  }, 30_000);

  it('info prints a table naming the file, one line per HDU', () => {
    const { code, stdout } = run('info', LATISS);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Filename: ${LATISS}`);
    expect(lines).toHaveLength(2 + 19);
    expect(lines[3]).toMatch(/^1\s+IMAGE\s+Segment10\s+32\s+\(576, 2048\)\s+0\s+0\s+0\s+0$/);
    expect(lines[19]).toMatch(/^17\s+BINTABLE\s+8\s+\(0, 0\)$/);
  }, 30_000);

  it('header --hdu prints one HDU, a compressed amp as its image header', () => {
    const { code, stdout } = run('header', LSSTCAMSIM, '--hdu', '1');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`# HDU 1 in ${LSSTCAMSIM}:`);
    expect(lines[1]).toMatch(/^XTENSION= 'IMAGE {3}'/);
    expect(lines).toContain("EXTNAME = 'Segment10'");
    expect(lines.at(-1)).toBe('END');
    expect(lines.slice(1).every((line) => line.length <= 80)).toBe(true); // the title line names the path
    expect(stdout).not.toMatch(/ZCMPTYPE/);
  }, 30_000);

  it('header without --hdu prints every HDU', () => {
    const { stdout } = run('header', LATISS);
    expect(stdout.match(/^# HDU \d+ in /gm)).toHaveLength(19);
    expect(stdout).toMatch(/^INSTRUME= 'LSST_ATISS'/m);
  }, 30_000);

  it('fails with a non-zero exit and one line naming the file and problem', () => {
    const notFits = run('info', path.join(ROOT, 'package.json'));
    expect(notFits.code).toBe(1);
    expect(notFits.stderr).toBe(
      `prompt-fits: ${path.join(ROOT, 'package.json')}: HDU 0: not a FITS file: it does not start with SIMPLE =\n`,
    );
    const noHdu = run('header', LATISS, '--hdu', '40');
    expect(noHdu.code).toBe(1);
    expect(noHdu.stderr).toBe(`prompt-fits: ${LATISS}: there is no HDU 40: the file has 19 (0..18)\n`);
  }, 30_000);

  it('has --help for the program and each command', () => {
    expect(run('--help').stdout).toMatch(/info \[options\] <file>/);
    expect(run('info', '--help').stdout).toMatch(/--json/);
    expect(run('header', '--help').stdout).toMatch(/--hdu <n>/);
  }, 30_000);
});
