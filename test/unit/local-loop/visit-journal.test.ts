// The journal as the observed processor fills it, the per-visit table, and what "ended as expected"
// means for a visit with and without a template.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { FannedOutVisit } from '../../../service/domain/next-visit';
import { ObservedProcessor } from '../../../service/local-loop/observed-processor';
import { VisitJournal } from '../../../service/local-loop/visit-journal';
import { endedAsExpected, formatVisitTable, stepSeconds } from '../../../service/local-loop/visit-table';
import type { VisitContext, VisitProcessor } from '../../../service/ports/visit-processor';
import { NonRetriableVisitError, RetriableVisitError } from '../../../service/prompt-service/visit-errors';
import { fannedOutVisit } from '../../support/next-visit-fixtures';

const log = pino({ level: 'silent' });

function context(steps: Array<[string, number]>): VisitContext {
  return { signal: new AbortController().signal, log, recordStep: (s, n) => steps.push([s, n]) };
}

const stepping = (pipeline: string): VisitProcessor => ({
  async processVisit(_visit, ctx) {
    ctx.recordStep('prep', 0.5);
    ctx.recordStep('task:isr', 1.25);
    ctx.recordStep('task:detectAndMeasure', 0.75);
    return { pipeline };
  },
});

describe('ObservedProcessor and VisitJournal', () => {
  it('records the steps (also passing them on), the pipeline and whether it was a fallback', async () => {
    const journal = new VisitJournal();
    const visit: FannedOutVisit = fannedOutVisit();
    const record = journal.entry(visit.instrument, visit.groupId, visit.detector);
    record.expectedPipeline = 'ApPipe';
    const passedOn: Array<[string, number]> = [];
    await new ObservedProcessor(stepping('SingleFrame'), journal).processVisit(visit, context(passedOn));
    expect(passedOn.map(([s]) => s)).toEqual(['prep', 'task:isr', 'task:detectAndMeasure']);
    expect(record.status).toBe('done');
    expect(record.pipeline).toBe('SingleFrame');
    expect(record.fallback).toBe(true);
    expect(record.steps.map((s) => s.name)).toEqual(['prep', 'task:isr', 'task:detectAndMeasure']);
    expect(stepSeconds(record, 'pipeline')).toBeCloseTo(2, 9);
    expect(stepSeconds(record, 'prep')).toBeCloseTo(0.5, 9);
    for (const step of record.steps) expect(step.startSeconds).toBeGreaterThanOrEqual(0);
  });

  it('records a failure with the status the HTTP edge answers, and keeps it in the recent errors', async () => {
    const journal = new VisitJournal();
    const visit = fannedOutVisit({ detector: 3 });
    const failing = (error: Error): VisitProcessor => ({
      processVisit: () => Promise.reject(error),
    });
    await expect(
      new ObservedProcessor(failing(new RetriableVisitError('preload failed', 30)), journal).processVisit(
        visit,
        context([]),
      ),
    ).rejects.toThrow('preload failed');
    const record = journal.find(visit.instrument, visit.groupId, 3);
    expect(record?.status).toBe('failed');
    expect(record?.httpStatus).toBe(503);
    await expect(
      new ObservedProcessor(failing(new NonRetriableVisitError('APDB half written')), journal).processVisit(
        fannedOutVisit({ detector: 4, groupId: visit.groupId }),
        context([]),
      ),
    ).rejects.toThrow();
    expect(journal.find(visit.instrument, visit.groupId, 4)?.httpStatus).toBe(500);
    expect(journal.errors().map((e) => e.message)).toEqual(['APDB half written', 'preload failed']);
  });
});

describe('the per-visit table', () => {
  it('ends as expected only with the first choice and DIA sources, or the fallback and none', () => {
    const journal = new VisitJournal();
    const withTemplate = journal.entry('LATISS', 'g1', 0);
    journal.started(withTemplate);
    journal.finished(withTemplate, { pipeline: 'ApPipe', httpStatus: 200 });
    withTemplate.diaSources = 5;
    withTemplate.transientsInjected = 5;
    withTemplate.transientsFound = 5;
    expect(endedAsExpected(withTemplate, 'ApPipe')).toBe(true);
    withTemplate.diaSources = 0;
    expect(endedAsExpected(withTemplate, 'ApPipe')).toBe(false);
    const noTemplate = journal.entry('LATISS', 'g2', 0);
    noTemplate.hasTemplate = false;
    journal.started(noTemplate);
    journal.finished(noTemplate, { pipeline: 'SingleFrame', httpStatus: 200 });
    noTemplate.diaSources = 0;
    expect(endedAsExpected(noTemplate, 'ApPipe')).toBe(true);
    const failed = journal.entry('LATISS', 'g3', 0);
    journal.failed(failed, 500, 'Timed out waiting for images');
    expect(endedAsExpected(failed, 'ApPipe')).toBe(false);
    const table = formatVisitTable(journal.all());
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toContain('failed 500');
    expect(table).toContain('0 (5/5 found)');
  });
});
