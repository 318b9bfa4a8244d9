// The embedded loop's stand-in for Kafka: topics inside one process. publish() acknowledges once every
// subscriber's handler has the message queued; handlers run one message at a time per subscription,
// in order, so a slow consumer never reorders a topic. A handler that throws is reported, not retried.
import type { BusMessage, EventPublisher } from '../../ports/event-publisher';
import { PublishError } from '../../ports/event-publisher';

export interface BusRecord extends BusMessage {
  readonly topic: string;
  /** Position in the topic, from 0. */
  readonly offset: number;
  readonly timestamp: number;
}

export type BusHandler = (record: BusRecord) => Promise<void> | void;

interface Subscription {
  readonly handler: BusHandler;
  tail: Promise<void>;
}

export class InProcessBus implements EventPublisher {
  private readonly subscriptions = new Map<string, Set<Subscription>>();
  private readonly offsets = new Map<string, number>();
  private closed = false;

  constructor(private readonly onHandlerError: (error: unknown, record: BusRecord) => void = () => {}) {}

  /** Delivers every later message of `topic` (newest-offset semantics, as our consumers use). */
  subscribe(topic: string, handler: BusHandler): () => void {
    const subscription: Subscription = { handler, tail: Promise.resolve() };
    let set = this.subscriptions.get(topic);
    if (!set) {
      set = new Set();
      this.subscriptions.set(topic, set);
    }
    set.add(subscription);
    return () => set.delete(subscription);
  }

  async publish(topic: string, messages: readonly BusMessage[], signal?: AbortSignal): Promise<void> {
    if (this.closed) throw new PublishError(`the in-process bus is closed (topic ${topic})`);
    signal?.throwIfAborted();
    for (const message of messages) {
      const offset = this.offsets.get(topic) ?? 0;
      this.offsets.set(topic, offset + 1);
      const record: BusRecord = { ...message, topic, offset, timestamp: Date.now() };
      for (const subscription of this.subscriptions.get(topic) ?? []) {
        subscription.tail = subscription.tail
          .then(() => subscription.handler(record))
          .catch((error: unknown) => this.onHandlerError(error, record));
      }
    }
  }

  /** How many messages a topic has carried. */
  messageCount(topic: string): number {
    return this.offsets.get(topic) ?? 0;
  }

  /** Resolves once every handler has finished what was published so far. */
  async drain(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].flatMap((set) => [...set].map((s) => s.tail)));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
