import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_CONFIG_ENTRIES } from '../../../service/config/service-config';
import { repoRoot } from '../../support/local-services';
import { markedTableRows } from '../../support/markdown-table';

function documentedRows(): string[][] {
  return markedTableRows(join(repoRoot, 'docs', 'service.md'), 'service-config');
}

describe("docs/service.md's configuration table", () => {
  it('lists every setting of the schema with its default, doc and kind, in order', () => {
    const expected = SERVICE_CONFIG_ENTRIES.map((e) => [
      e.name,
      e.required
        ? '(required)'
        : e.default === undefined
          ? '(unset)'
          : e.default === ''
            ? '(empty)'
            : e.default,
      e.doc + (e.secret ? ' (secret)' : '') + (e.source === 'platform' ? ' (set by Knative)' : ''),
    ]);
    expect(documentedRows()).toEqual(expected);
  });
});
