// The port through which application code puts messages on a topic (Kafka in a cluster and in the
// tests, an in-process bus on the embedded default). publish() resolves only once the bus has
// acknowledged every message, so a caller may report success upstream after it returns.

export interface BusMessage {
  /** Partitioning key; messages with the same key keep their order. */
  readonly key: string | null;
  readonly value: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EventPublisher {
  /**
   * Sends messages to a topic and waits for the acknowledgement of all of them.
   * Rejects with PublishError if the bus did not acknowledge within the publisher's timeout or the
   * signal aborted; some messages may then have been delivered (at-least-once).
   */
  publish(topic: string, messages: readonly BusMessage[], signal?: AbortSignal): Promise<void>;
  /** Releases connections; idempotent. */
  close(): Promise<void>;
}

/** The bus did not acknowledge; the caller should answer "retry later". */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
