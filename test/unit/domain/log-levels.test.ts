import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOG_LEVELS,
  LogLevelsError,
  levelOf,
  parseLogLevels,
} from '../../../service/domain/log-levels';

describe('SERVICE_LOG_LEVELS', () => {
  it("reads upstream's chart value", () => {
    const levels = parseLogLevels(
      'timer.lsst.activator=DEBUG timer.lsst.daf.butler=DEBUG lsst.associateApdb=VERBOSE lsst.daf.butler=VERBOSE',
    );
    expect(levelOf(levels, 'timer.lsst.activator.prep_butler')).toBe('debug');
    expect(levelOf(levels, 'lsst.daf.butler.registry')).toBe('debug');
    expect(levelOf(levels, 'lsst.activator')).toBe('warn');
    expect(levelOf(levels, 'kafkajs')).toBe('warn');
  });

  it('lets "." set the root, and the nearest ancestor win', () => {
    const levels = parseLogLevels(
      `${DEFAULT_LOG_LEVELS} .=ERROR lsst.activator.middleware_interface=WARNING`,
    );
    expect(levels.root).toBe('error');
    expect(levelOf(levels, 'lsst.activator.middleware_interface.export')).toBe('warn');
    expect(levelOf(levels, 'lsst.activator.activator')).toBe('debug');
    expect(levelOf(levels, 'lsst.pipe')).toBe('info');
    expect(levelOf(levels, 'lsstx')).toBe('error');
  });

  it('treats an empty value as the defaults', () => {
    expect(parseLogLevels('   ')).toEqual({ root: 'warn', byLogger: new Map() });
  });

  it.each([
    ['lsst', /is not logger=LEVEL/],
    ['lsst=LOUD', /unknown level LOUD/],
    ['=DEBUG', /is not logger=LEVEL/],
  ])('fails on %s', (text, reason) => {
    expect(() => parseLogLevels(text)).toThrow(LogLevelsError);
    expect(() => parseLogLevels(text)).toThrow(reason);
  });
});
