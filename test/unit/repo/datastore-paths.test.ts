import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDatastore } from '../../../service/adapters/filesystem/file-datastore';
import { parseS3Uri, S3Datastore, s3ClientFor } from '../../../service/adapters/s3/s3-datastore';
import { ObjectMissingError } from '../../../service/ports/datastore';
import { datasetPath } from '../../../service/repo/repo';

describe('datastore paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-datastore-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names dataset files by run, type, data id values and UUID', () => {
    expect(
      datasetPath(
        'LSSTCam/prompt/output-2026-11-28/ApPipe/x',
        'difference_image',
        { instrument: 'LSSTCam', detector: 42, visit: 7 },
        'u-1',
        'fits',
      ),
    ).toBe(
      'LSSTCam/prompt/output-2026-11-28/ApPipe/x/difference_image/LSSTCam_42_7_difference_image_u-1.fits',
    );
  });

  it('writes, stats, reads and removes files under the root', async () => {
    const store = new FileDatastore(dir);
    await store.put('a/b/c.dat', Buffer.from('bytes'), 5);
    expect(await store.stat('a/b/c.dat')).toEqual({ sizeBytes: 5 });
    expect((await buffer(await store.get('a/b/c.dat'))).toString()).toBe('bytes');
    await store.remove('a/b/c.dat');
    await store.remove('a/b/c.dat');
    expect(await store.stat('a/b/c.dat')).toBeUndefined();
    await expect(store.get('a/b/c.dat')).rejects.toThrow(ObjectMissingError);
  });

  it('fails on paths that would leave the root', async () => {
    const store = new FileDatastore(dir);
    await expect(store.put('../escape.dat', Buffer.from('x'), 1)).rejects.toThrow(/leaves the repo root/);
    const s3 = new S3Datastore('s3://bucket/prefix/', s3ClientFor({ endpoint: 'http://127.0.0.1:1' }), true);
    expect(s3.root).toBe('s3://bucket/prefix');
    expect(s3.uriOf('run/x.fits')).toBe('s3://bucket/prefix/run/x.fits');
    expect(() => s3.uriOf('../x')).toThrow(/leaves the repo root/);
    await s3.close();
  });

  it('parses s3:// roots and fails on anything else', () => {
    expect(parseS3Uri('s3://rubin-pp-dev-users/central_repo_2')).toEqual({
      bucket: 'rubin-pp-dev-users',
      prefix: 'central_repo_2',
    });
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(() => parseS3Uri('/local/dir')).toThrow(/not an s3:\/\/bucket\/prefix URI/);
  });
});
