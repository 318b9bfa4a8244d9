// Alerts go out in batches under the broker's request limit: kafkajs sends one record batch per
// partition per request, and a detector's alerts (≈17 KB each with three cutouts) easily exceed
// Kafka's default 1 MB message.max.bytes in one batch. Batches are sent one after another so a
// failure leaves a clear prefix delivered (at-least-once on retry, like the publisher itself).

import type { BusMessage, EventPublisher } from '../ports/event-publisher';

/** Well below Kafka's default message.max.bytes (1 MiB) with room for record overhead. */
export const DEFAULT_ALERT_BATCH_BYTES = 768 * 1024;

export async function publishAlerts(
  publisher: EventPublisher,
  topic: string,
  messages: readonly BusMessage[],
  signal?: AbortSignal,
  maxBatchBytes = DEFAULT_ALERT_BATCH_BYTES,
): Promise<number> {
  let batch: BusMessage[] = [];
  let bytes = 0;
  let batches = 0;
  for (const message of messages) {
    const size = message.value.length + (message.key?.length ?? 0);
    if (batch.length > 0 && bytes + size > maxBatchBytes) {
      await publisher.publish(topic, batch, signal);
      batches++;
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) {
    await publisher.publish(topic, batch, signal);
    batches++;
  }
  return batches;
}
