import { describe, expect, it } from 'vitest';
import {
  deploymentId,
  inputCollections,
  outputChain,
  outputRun,
  PRELOAD_RUN_BASENAME,
} from '../../../service/domain/collections';
import { utcToTai } from '../../../service/domain/tai';

const tai = (iso: string) => utcToTai(Date.parse(iso) / 1000);

describe('collections and runs', () => {
  it('names inputs as upstream does', () => {
    expect(inputCollections('LATISS')).toEqual({
      defaults: 'LATISS/defaults',
      calib: 'LATISS/calib',
      templates: 'LATISS/templates',
      refcats: 'refcats',
      skymaps: 'skymaps',
      raws: 'LATISS/raw/all',
    });
  });

  it('dates the output chain by the observing night of the processing time', () => {
    expect(outputChain('LSSTCam', tai('2026-11-29T03:00:00Z'))).toBe('LSSTCam/prompt/output-2026-11-28');
    expect(outputChain('LSSTCam', tai('2026-11-29T12:30:00Z'))).toBe('LSSTCam/prompt/output-2026-11-29');
  });

  it('puts each pipeline and deployment in its own run', () => {
    const chain = 'HSC/prompt/output-2026-11-28';
    const deployment = deploymentId({ pipelinesDigest: 'a1b2c3d4e5', apdbConfigDigest: '0123456789abcdef' });
    expect(deployment).toBe('pipelines-a1b2c3d-config-0123456');
    expect(outputRun(chain, 'ApPipe', deployment)).toBe(`${chain}/ApPipe/${deployment}`);
    expect(outputRun(chain, PRELOAD_RUN_BASENAME, deployment)).toBe(`${chain}/NoPipeline/${deployment}`);
  });

  it('fails on names that would break the run path', () => {
    expect(() => outputRun('c', 'Ap/Pipe', 'd')).toThrow(/pipeline "Ap\/Pipe" cannot be part of a run name/);
    expect(() => deploymentId({ pipelinesDigest: 'xyz', apdbConfigDigest: '0123456' })).toThrow(/not hex/);
  });
});
