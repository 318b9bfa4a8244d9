// An ObjectBucket that announces each object it creates on a bus topic, as Ceph RGW's bucket
// notifications do (same record shape: eventName ObjectCreated:Put, bucket name, key, size), so
// the embedded loop's service learns of raws exactly as it does behind the notification bridge.
import type { EventPublisher } from '../../ports/event-publisher';
import type { ObjectBucket } from '../../ports/object-bucket';

export function objectCreatedNotification(bucket: string, key: string, size: number, now = new Date()) {
  return {
    Records: [
      {
        eventVersion: '2.2',
        eventSource: 'ceph:s3',
        eventTime: now.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: bucket }, object: { key, size } },
      },
    ],
  };
}

export class NotifyingBucket implements ObjectBucket {
  readonly location: string;

  constructor(
    private readonly bucket: ObjectBucket,
    private readonly bus: EventPublisher,
    private readonly topic: string,
    private readonly bucketName: string,
  ) {
    this.location = bucket.location;
  }

  check(): Promise<void> {
    return this.bucket.check();
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await this.bucket.put(key, body, contentType);
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const notification = objectCreatedNotification(this.bucketName, key, size);
    await this.bus.publish(this.topic, [{ key: this.bucketName, value: JSON.stringify(notification) }]);
  }

  claim(key: string, body: string): Promise<boolean> {
    return this.bucket.claim(key, body);
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.bucket.get(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.bucket.list(prefix);
  }
}
