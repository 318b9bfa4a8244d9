import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPONENTS,
  componentVersionsOrUnknown,
  currentComponentVersions,
  InvalidComponentVersionsError,
  parseComponentVersions,
  UNKNOWN_VERSION,
} from '../../../service/domain/component-versions';

describe('component versions', () => {
  it('records the APDB schema version of the Felis schema we ship against', () => {
    const felis = readFileSync('../shared/schemas/apdb.yaml', 'utf8');
    const version = /^version:\s*"([^"]+)"/m.exec(felis)?.[1];
    expect(currentComponentVersions.apdbSchema).toBe(version);
  });

  it('records the alert schema as MAJOR.MINOR of the lsst.vMAJOR_MINOR namespace', () => {
    const avsc = JSON.parse(readFileSync('../shared/schemas/alert/lsst.v11_0.alert.avsc', 'utf8')) as {
      namespace: string;
    };
    const [, major, minor] = /^lsst\.v(\d+)_(\d+)$/.exec(avsc.namespace) ?? [];
    expect(currentComponentVersions.alertSchema).toBe(`${major}.${minor}`);
  });

  it('fails on a missing or malformed component, naming it and the fix', () => {
    const json = { ...currentComponentVersions, alertSchema: 'v11', pipelines: undefined };
    expect(() => parseComponentVersions(json, 'x.json')).toThrow(InvalidComponentVersionsError);
    expect(() => parseComponentVersions(json, 'x.json')).toThrow(
      'x.json: "pipelines" is missing; add it as a version string; "alertSchema" is "v11"; write dot-separated numbers like "10.0.0"',
    );
  });

  it('fails on a file that is not an object', () => {
    expect(() => parseComponentVersions([], 'x.json')).toThrow('x.json must hold a JSON object');
  });

  it('reads an old release leniently: absent file or fields are unknown', () => {
    expect(Object.values(componentVersionsOrUnknown(undefined))).toEqual(
      COMPONENTS.map(() => UNKNOWN_VERSION),
    );
    const partial = componentVersionsOrUnknown({ apdbSchema: '9.0.0', alertSchema: 7 });
    expect(partial.apdbSchema).toBe('9.0.0');
    expect(partial.alertSchema).toBe(UNKNOWN_VERSION);
    expect(partial.pipelines).toBe(UNKNOWN_VERSION);
  });

  it('docs/release.md shows the versions the JSON records', () => {
    const docs = readFileSync('docs/release.md', 'utf8');
    for (const component of COMPONENTS) {
      const version = currentComponentVersions[component].replaceAll('.', '\\.');
      // Biome pads Markdown table cells, hence the \s*.
      const row = new RegExp(`^\\|\\s*\`${component}\`\\s*\\|.*\\|\\s*${version}\\s*\\|$`, 'm');
      expect(docs).toMatch(row);
    }
  });
});
