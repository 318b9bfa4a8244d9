// An EventPublisher that keeps what it was given, batch by batch, for tests that look at the messages
// rather than at a broker.

import type { BusMessage, EventPublisher } from '../../service/ports/event-publisher';

export class RecordingPublisher implements EventPublisher {
  readonly batches: BusMessage[][] = [];
  async publish(_topic: string, messages: readonly BusMessage[]): Promise<void> {
    this.batches.push([...messages]);
  }
  async close(): Promise<void> {}
}
