// S3 event notifications as object stores send them: Ceph RGW (HTTP push or Kafka), MinIO, and AWS
// (directly or wrapped in an SNS envelope). Pure parsing: one body in, typed records out, or a
// NotificationFormatError that says what is wrong. Used by the notification bridge and by the
// service when it reads the same records back from Kafka.
import { z } from 'zod';

/** Raised when a body is not an S3 event notification we can use; the message names the problem. */
export class NotificationFormatError extends Error {
  override readonly name = 'NotificationFormatError';
}

const s3EventRecordSchema = z.looseObject({
  eventVersion: z.string().optional(),
  eventSource: z.string().optional(),
  eventTime: z.string().optional(),
  eventName: z.string().min(1),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
    }),
  }),
});

/** One record exactly as the store sent it (unknown fields are kept, so it can be forwarded as is). */
export type S3EventRecord = z.infer<typeof s3EventRecordSchema>;

const notificationSchema = z.looseObject({ Records: z.array(z.unknown()) });

/** AWS S3's "s3:TestEvent", sent once when a notification configuration is created. */
const awsTestEventSchema = z.looseObject({ Event: z.literal('s3:TestEvent') });

const snsEnvelopeSchema = z.looseObject({ Type: z.literal('Notification'), Message: z.string() });

export interface ParsedNotification {
  /** The usable records, in the order sent. Empty for a test event. */
  readonly records: readonly S3EventRecord[];
  /** True for a store's connectivity test event, which carries no object. */
  readonly isTestEvent: boolean;
}

/**
 * Parses one notification body (already JSON-decoded). Accepts `{"Records":[…]}` from RGW, MinIO and
 * AWS, an AWS SNS `Notification` envelope around it, and AWS's test event. Every record must name its
 * event, bucket and key; one bad record rejects the whole body, so a retry resends all of it.
 */
export function parseS3EventNotification(body: unknown): ParsedNotification {
  const envelope = snsEnvelopeSchema.safeParse(body);
  if (envelope.success) {
    return parseS3EventNotification(parseJson(envelope.data.Message, 'SNS Message'));
  }
  if (awsTestEventSchema.safeParse(body).success) {
    return { records: [], isTestEvent: true };
  }
  const notification = notificationSchema.safeParse(body);
  if (!notification.success) {
    throw new NotificationFormatError(
      'body is not an S3 event notification: expected an object with a "Records" array',
    );
  }
  if (notification.data.Records.length === 0) {
    throw new NotificationFormatError(
      '"Records" is empty: an S3 event notification carries at least one record',
    );
  }
  const records = notification.data.Records.map((raw, index) => {
    const record = s3EventRecordSchema.safeParse(raw);
    if (!record.success) {
      const issue = record.error.issues[0];
      const where = issue ? issue.path.join('.') : '';
      throw new NotificationFormatError(
        `Records[${index}] is not an S3 event record: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`,
      );
    }
    return record.data;
  });
  return { records, isTestEvent: false };
}

/** Parses a JSON text, raising NotificationFormatError (not SyntaxError) with the context named. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NotificationFormatError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The object key a record refers to, decoded. AWS and MinIO URL-encode keys in events (spaces as
 * "+"), Ceph RGW sends them raw; decoding RGW's keys would corrupt any key containing "%" or "+".
 */
export function objectKeyOf(record: S3EventRecord): string {
  const source = record.eventSource ?? '';
  if (source === 'aws:s3' || source === 'minio:s3') {
    try {
      return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    } catch {
      throw new NotificationFormatError(`s3.object.key is not valid URL encoding: ${record.s3.object.key}`);
    }
  }
  return record.s3.object.key;
}

/** True for events that announce a new object (Put, Post, Copy, CompleteMultipartUpload). */
export function isObjectCreated(record: S3EventRecord): boolean {
  return /^(s3:)?ObjectCreated:/.test(record.eventName);
}
