import { describe, expect, it } from 'vitest';
import {
  compareReleaseVersions,
  InvalidReleaseVersionError,
  parseReleaseVersion,
  tryParseReleaseVersion,
} from '../../../scripts/release/release-version';

describe('parseReleaseVersion', () => {
  it.each([
    ['0.1.0', [0, 1, 0]],
    ['1.2.3', [1, 2, 3]],
    ['10.0.12', [10, 0, 12]],
  ] as const)('accepts %s', (text, [major, minor, patch]) => {
    expect(parseReleaseVersion(text)).toEqual({ major, minor, patch, text });
  });

  it.each([
    ['v1.2.3', 'release tags have no leading "v" (PEP 440 canonical form); tag it as "1.2.3"'],
    ['V2.0.0', 'tag it as "2.0.0"'],
    ['1.2', 'a release needs three numbers X.Y.Z; tag it as "1.2.0"'],
    ['1', 'tag it as "1.0.0"'],
    ['1.2.3.4', 'exactly three numbers'],
    ['01.2.3', 'leading zeros (PEP 440 normalizes them away); tag it as "1.2.3"'],
    ['1.2.3rc1', 'only final releases X.Y.Z are published'],
    ['1.2.3.post1', 'only final releases'],
    ['1.2.3-dev', 'only final releases'],
    ['1.2.3+abc', 'local version labels'],
    [' 1.2.3', 'surrounding whitespace; tag it as "1.2.3"'],
    ['', 'the tag is empty'],
    ['w.2025.10', 'expected three dot-separated numbers'],
  ])('fails on %j with the reason', (text, reason) => {
    expect(() => parseReleaseVersion(text)).toThrow(InvalidReleaseVersionError);
    expect(() => parseReleaseVersion(text)).toThrow(reason);
  });

  it('tryParseReleaseVersion answers undefined for non-releases instead of throwing', () => {
    expect(tryParseReleaseVersion('v1.0.0')).toBeUndefined();
    expect(tryParseReleaseVersion('1.0.0')?.major).toBe(1);
  });

  it('orders by number, not by text', () => {
    const sorted = ['1.10.0', '1.2.0', '0.9.9', '1.2.10', '1.2.9']
      .map(parseReleaseVersion)
      .sort(compareReleaseVersions);
    expect(sorted.map((version) => version.text)).toEqual(['0.9.9', '1.2.0', '1.2.9', '1.2.10', '1.10.0']);
  });
});
