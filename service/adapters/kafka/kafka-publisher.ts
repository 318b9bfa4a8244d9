// EventPublisher on Kafka: one idempotence-free producer with acks=all, connected lazily and
// reconnected after a failure. Each publish is bounded by a timeout so an unreachable broker turns
// into a PublishError the caller can map to "retry later".
import type { Kafka, Producer } from 'kafkajs';
import { type BusMessage, type EventPublisher, PublishError } from '../../ports/event-publisher';

export interface KafkaPublisherOptions {
  /** Upper bound for one publish, connect included. @default 10000 */
  readonly publishTimeoutMs?: number;
}

export class KafkaPublisher implements EventPublisher {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly publishTimeoutMs: number;

  constructor(
    private readonly kafka: Kafka,
    options: KafkaPublisherOptions = {},
  ) {
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  }

  async publish(topic: string, messages: readonly BusMessage[], signal?: AbortSignal): Promise<void> {
    if (messages.length === 0) return;
    const timeout = AbortSignal.timeout(this.publishTimeoutMs);
    const bound = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      await abortable(this.send(topic, messages), bound);
    } catch (error) {
      await this.reset();
      const reason = timeout.aborted
        ? `no acknowledgement within ${this.publishTimeoutMs} ms`
        : (error as Error).message;
      throw new PublishError(
        `kafka did not take ${messages.length} message(s) for topic ${topic}: ${reason}`,
        error,
      );
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async send(topic: string, messages: readonly BusMessage[]): Promise<void> {
    const producer = await this.connected();
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers ? { ...m.headers } : undefined,
      })),
    });
  }

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    if (!this.connecting) {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false });
      const attempt: Promise<Producer> = producer.connect().then(
        async () => {
          if (this.connecting !== attempt) {
            // reset() ran while we were connecting: this producer is no longer wanted
            await producer.disconnect().catch(() => undefined);
            throw new Error('connection abandoned');
          }
          this.producer = producer;
          this.connecting = undefined;
          return producer;
        },
        (error: unknown) => {
          if (this.connecting === attempt) this.connecting = undefined;
          throw error;
        },
      );
      this.connecting = attempt;
    }
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    if (producer) await producer.disconnect().catch(() => undefined);
  }
}

/** Rejects as soon as the signal aborts, without waiting for the work to notice. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
