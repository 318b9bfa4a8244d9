// What the local loop runs on, whichever the backends: the central repo and APDB (shared by every
// instrument's service in the process), the buckets the tester writes and the service reads, and the
// three message flows — next_visit to the fan-out, raw notifications to the service, alerts out.
// Embedded (PGlite, folders, an in-process bus) and real (Kafka, Ceph RGW through the bridge,
// PostgreSQL) implement the same interface, so the loop itself does not know which it runs on.
import type { RawArrivals } from '../activator/raw-arrivals';
import type { Apdb } from '../apdb/apdb';
import type { Instrument } from '../domain/instruments';
import type { InstrumentTopics } from '../domain/topics';
import type { EventPublisher } from '../ports/event-publisher';
import type { ObjectBucket } from '../ports/object-bucket';
import type { RawBucket } from '../ports/raw-bucket';
import type { Repo } from '../repo/repo';

export type Unsubscribe = () => Promise<void>;

export interface InstrumentBackends {
  readonly instrument: Instrument;
  readonly topics: InstrumentTopics;
  readonly central: Repo;
  readonly apdb: Apdb;
  /** Where the tester puts raws (announcing each one as the raw bucket's notifications do). */
  readonly testerRawBucket: ObjectBucket;
  /** The same bucket as the service reads it. */
  readonly serviceRawBucket: RawBucket;
  readonly usersBucket: ObjectBucket;
  /** Environment of the instrument's service besides the loop's own choices (CENTRAL_REPO, IMAGE_BUCKET, …). */
  readonly serviceEnv: Readonly<Record<string, string>>;
}

export interface LoopBackends {
  readonly kind: 'embedded' | 'real';
  /** What the summary says about where things live. */
  readonly description: string;
  forInstrument(instrument: Instrument): Promise<InstrumentBackends>;
  /** The tester's next_visit producer and the service's alert producer. */
  readonly publisher: EventPublisher;
  /** Calls `handle` with each next_visit sent from now on. */
  consumeNextVisits(topic: string, handle: (text: string) => void): Promise<Unsubscribe>;
  /** Feeds `arrivals` with the raw bucket's notifications from now on. */
  consumeRawNotifications(topic: string, arrivals: RawArrivals): Promise<Unsubscribe>;
  /** Calls `handle` with each alert produced from now on. */
  consumeAlerts(topic: string, handle: (message: Buffer) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
