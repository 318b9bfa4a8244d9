// The associateApdb task's own checks (before any APDB access) and the alert batching under Kafka's
// request limit, with a recording publisher behind the EventPublisher port.

import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_BATCH_BYTES, publishAlerts } from '../../../service/dia/publish-alerts';
import { Header } from '../../../service/domain/fits';
import {
  AssociationInputError,
  associateApdbTask,
  midpointMjdTai,
} from '../../../service/pipeline/tasks/associate-apdb';
import { defaultTaskRegistry } from '../../../service/pipeline/tasks/default-task-registry';
import { RecordingPublisher } from '../../support/recording-publisher';

describe('alert batching', () => {
  it('splits a detector’s alerts into batches under the byte limit, in order, none lost', async () => {
    const publisher = new RecordingPublisher();
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: Buffer.alloc(20_000) }));
    const batches = await publishAlerts(publisher, 'alerts-lsstcam', messages);
    expect(batches).toBe(publisher.batches.length);
    expect(batches).toBe(Math.ceil(100 / Math.floor(DEFAULT_ALERT_BATCH_BYTES / 20_002)));
    expect(publisher.batches.flat().map((m) => m.key)).toEqual(messages.map((m) => m.key));
    for (const batch of publisher.batches) {
      expect(batch.reduce((s, m) => s + m.value.length, 0)).toBeLessThanOrEqual(DEFAULT_ALERT_BATCH_BYTES);
    }
  });

  it('sends nothing for no alerts', async () => {
    const publisher = new RecordingPublisher();
    expect(await publishAlerts(publisher, 't', [])).toBe(0);
    expect(publisher.batches).toEqual([]);
  });
});

describe('associateApdb task', () => {
  it('takes the exposure midpoint from MJD-AVG, or MJD-BEG plus half the exposure time', () => {
    expect(midpointMjdTai(new Header([{ keyword: 'MJD-AVG', value: 61000.25 }]))).toBe(61000.25);
    expect(
      midpointMjdTai(
        new Header([
          { keyword: 'MJD-BEG', value: 61000 },
          { keyword: 'EXPTIME', value: 30 },
        ]),
      ),
    ).toBeCloseTo(61000 + 15 / 86400, 12);
  });

  it('fails with an AssociationInputError when the header has no visit time', () => {
    expect(() => midpointMjdTai(new Header([]))).toThrow(AssociationInputError);
    expect(() => midpointMjdTai(new Header([]))).toThrow(/MJD-AVG nor MJD-BEG/);
  });

  it('is declared without an implementation until the service gives it an APDB and a publisher', () => {
    const registry = defaultTaskRegistry();
    expect(registry.get('associateApdb')?.implemented).toBe(false);
    expect(registry.get('associateApdb')?.inputs.preloadedDiaObjects?.optional).toBe(true);
    expect(Object.keys(associateApdbTask.outputs)).toEqual(['apdbMarker', 'associatedDiaSources']);
  });
});
