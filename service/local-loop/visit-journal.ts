// What the local loop knows about each (group, detector) it sent through the service: status, the
// pipeline that ran (and whether it was a fallback), when each step started and how long it took, the
// DIA sources found against the transients injected, alerts, and recent errors. The per-visit table
// and the dashboard read it; nothing here talks to a backend.

export type VisitStatus = 'waiting' | 'running' | 'done' | 'failed';

export interface VisitStep {
  readonly name: string;
  /** Seconds after the visit's processing started. */
  readonly startSeconds: number;
  readonly seconds: number;
}

/** A DIA source as the dashboard lists it, with the alert that carried it. */
export interface JournalDiaSource {
  readonly diaSourceId: string;
  readonly ra: number;
  readonly dec: number;
  readonly x: number;
  readonly y: number;
  readonly snr: number;
  readonly isNegative: boolean;
}

export interface VisitRecord {
  readonly instrument: string;
  readonly group: string;
  readonly detector: number;
  /** Visit id (first exposure id), once known. */
  visit?: number;
  status: VisitStatus;
  /** The main pipeline it should run when the data allow (ApPipe unless configured otherwise). */
  expectedPipeline?: string;
  /** The pipeline that ran. */
  pipeline?: string;
  /** True when the pipeline that ran is not the first choice. */
  fallback?: boolean;
  /** Does the seeded repo hold a template for it (the tester knows)? */
  hasTemplate?: boolean;
  /** Unix ms. */
  readonly queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Unix ms when the last of the detector's raws was stored in the raw bucket. */
  rawsPutAt?: number;
  readonly steps: VisitStep[];
  httpStatus?: number;
  error?: string;
  diaSources?: number;
  transientsInjected?: number;
  transientsFound?: number;
  alerts: number;
}

export interface JournalError {
  readonly at: number;
  readonly instrument: string;
  readonly group?: string;
  readonly detector?: number;
  readonly message: string;
}

export function visitKey(instrument: string, group: string, detector: number): string {
  return `${instrument}/${group}/${detector}`;
}

export class VisitJournal {
  private readonly visits = new Map<string, VisitRecord>();
  private readonly errorLog: JournalError[] = [];
  private readonly listeners = new Set<(record: VisitRecord) => void>();

  constructor(private readonly maxErrors = 50) {}

  /** The record of a (group, detector), created as "waiting" the first time it is named. */
  entry(instrument: string, group: string, detector: number): VisitRecord {
    const key = visitKey(instrument, group, detector);
    let record = this.visits.get(key);
    if (!record) {
      record = { instrument, group, detector, status: 'waiting', queuedAt: Date.now(), steps: [], alerts: 0 };
      this.visits.set(key, record);
    }
    return record;
  }

  find(instrument: string, group: string, detector: number): VisitRecord | undefined {
    return this.visits.get(visitKey(instrument, group, detector));
  }

  started(record: VisitRecord): void {
    record.status = 'running';
    record.startedAt = Date.now();
    this.changed(record);
  }

  step(record: VisitRecord, name: string, seconds: number, endedAtUnixMs = Date.now()): void {
    const startedAt = record.startedAt ?? endedAtUnixMs;
    const end = (endedAtUnixMs - startedAt) / 1000;
    record.steps.push({ name, startSeconds: Math.max(0, end - seconds), seconds });
    this.changed(record);
  }

  finished(record: VisitRecord, outcome: { pipeline: string; httpStatus: number }): void {
    record.status = 'done';
    record.pipeline = outcome.pipeline;
    record.httpStatus = outcome.httpStatus;
    record.fallback = record.expectedPipeline !== undefined && outcome.pipeline !== record.expectedPipeline;
    record.finishedAt = Date.now();
    this.changed(record);
  }

  failed(record: VisitRecord, httpStatus: number, message: string): void {
    record.status = 'failed';
    record.httpStatus = httpStatus;
    record.error = message;
    record.finishedAt = Date.now();
    this.error({ instrument: record.instrument, group: record.group, detector: record.detector, message });
    this.changed(record);
  }

  alert(record: VisitRecord): void {
    record.alerts += 1;
    this.changed(record);
  }

  error(error: Omit<JournalError, 'at'>): void {
    this.errorLog.push({ at: Date.now(), ...error });
    if (this.errorLog.length > this.maxErrors) this.errorLog.shift();
  }

  /** Every record, oldest first. */
  all(): VisitRecord[] {
    return [...this.visits.values()].sort((a, b) => a.queuedAt - b.queuedAt);
  }

  errors(): readonly JournalError[] {
    return [...this.errorLog].reverse();
  }

  /** Called after every change of a record (the loop waits for visits to end this way). */
  onChange(listener: (record: VisitRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(record: VisitRecord): void {
    for (const listener of this.listeners) listener(record);
  }
}
