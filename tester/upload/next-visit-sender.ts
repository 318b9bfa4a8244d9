// Sending next_visit: JSON on the next-visit Kafka topic (what our fan-out reads), or Avro through a
// Confluent-style Kafka REST proxy as upstream's testers do (rest-proxy-sender.ts).

import type { SummitVisit } from '../../service/domain/next-visit';
import type { EventPublisher } from '../../service/ports/event-publisher';

export interface NextVisitSender {
  /** Where messages go, for reports. */
  readonly destination: string;
  send(visit: SummitVisit): Promise<void>;
  close(): Promise<void>;
}

export class KafkaNextVisitSender implements NextVisitSender {
  readonly destination: string;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly topic: string,
  ) {
    this.destination = `kafka topic ${topic}`;
  }

  send(visit: SummitVisit): Promise<void> {
    // Keyed by instrument, as the summit's producer does: one instrument's visits keep their order.
    return this.publisher.publish(this.topic, [{ key: visit.instrument, value: JSON.stringify(visit) }]);
  }

  close(): Promise<void> {
    return this.publisher.close();
  }
}
