// Kafka topic names, per instrument. One rule for every environment: an optional prefix (a
// developer's `dev-<name>-`) in front of a fixed name, so isolated environments cannot collide.

import type { Instrument } from './instruments';

export interface InstrumentTopics {
  /** next_visit messages the fan-out consumes. */
  readonly nextVisit: string;
  /** S3 event notifications for the instrument's raws (the service's BUCKET_TOPIC). */
  readonly rawNotifications: string;
  /** Alert packets the pipeline produces (the service's AP_KAFKA_TOPIC). */
  readonly alerts: string;
}

/** Topic names for `instrument`; `prefix` ends in `-` when set (`dev-alice-`). */
export function instrumentTopics(instrument: Instrument, prefix = ''): InstrumentTopics {
  return {
    nextVisit: `${prefix}next-visit-${instrument.slug}`,
    rawNotifications: `${prefix}raw-notifications-${instrument.slug}`,
    alerts: `${prefix}alerts-${instrument.slug}`,
  };
}
