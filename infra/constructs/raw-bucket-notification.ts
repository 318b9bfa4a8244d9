// Bucket notifications for one instrument's raws: a CephBucketTopic (where RGW sends events: Kafka
// directly, or the notification bridge over HTTP) and a CephBucketNotification for new objects under
// the instrument's key prefix. Where the environment provisions buckets, also the ObjectBucketClaim,
// labelled so Rook attaches the notification to it.

import { Construct } from 'constructs';
import {
  CephBucketNotification,
  CephBucketNotificationSpecEvents,
  CephBucketNotificationSpecFilterKeyFiltersName,
} from '../imports/cephbucketnotification-ceph.rook.io';
import {
  CephBucketTopic,
  CephBucketTopicSpecEndpointKafkaAckLevel,
} from '../imports/cephbuckettopic-ceph.rook.io';
import { ObjectBucketClaim } from '../imports/objectbucket.io';
import { assertDnsLabel } from './names';

/** Where RGW delivers events. */
export type NotificationEndpoint =
  | { readonly kind: 'kafka'; readonly bootstrapServers: string }
  | { readonly kind: 'http'; readonly url: string };

export interface RawBucketNotificationProps {
  readonly namespace: string;
  /** RGW topic name; with a Kafka endpoint RGW publishes to the Kafka topic of this name. */
  readonly topicName: string;
  readonly bucketName: string;
  /** Only keys under this prefix notify (`LATISS/`). */
  readonly keyPrefix: string;
  readonly endpoint: NotificationEndpoint;
  readonly objectStoreName: string;
  readonly objectStoreNamespace: string;
  /** Claim the bucket through this storage class. @default - the bucket exists already */
  readonly provisionWithStorageClass?: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

export class RawBucketNotification extends Construct {
  public readonly notificationName: string;

  constructor(scope: Construct, id: string, props: RawBucketNotificationProps) {
    super(scope, id);
    if (!props.keyPrefix.endsWith('/')) {
      throw new Error(
        `key prefix "${props.keyPrefix}" must end with "/" so LATISS/ does not also match LATISS2/`,
      );
    }
    const topicName = assertDnsLabel(props.topicName, 'bucket topic name');
    this.notificationName = topicName;
    const labels = props.labels ?? {};

    new CephBucketTopic(this, 'Resource', {
      metadata: { name: topicName, namespace: props.namespace, labels },
      spec: {
        objectStoreName: props.objectStoreName,
        objectStoreNamespace: props.objectStoreNamespace,
        // Persistent: RGW queues events while the endpoint is down instead of dropping them.
        persistent: true,
        endpoint:
          props.endpoint.kind === 'kafka'
            ? {
                kafka: {
                  uri: `kafka://${props.endpoint.bootstrapServers}`,
                  ackLevel: CephBucketTopicSpecEndpointKafkaAckLevel.BROKER,
                },
              }
            : { http: { uri: props.endpoint.url, sendCloudEvents: false } },
      },
    });

    new CephBucketNotification(this, 'Notification', {
      metadata: { name: this.notificationName, namespace: props.namespace, labels },
      spec: {
        topic: topicName,
        events: [CephBucketNotificationSpecEvents.S3_OBJECT_CREATED_ASTERISK],
        filter: {
          keyFilters: [
            { name: CephBucketNotificationSpecFilterKeyFiltersName.PREFIX, value: props.keyPrefix },
          ],
        },
      },
    });

    if (props.provisionWithStorageClass) {
      new ObjectBucketClaim(this, 'Bucket', {
        metadata: {
          name: assertDnsLabel(props.bucketName, 'bucket name'),
          namespace: props.namespace,
          // Rook attaches a notification to the claims that carry this label.
          labels: { ...labels, [`bucket-notification-${this.notificationName}`]: this.notificationName },
        },
        spec: { bucketName: props.bucketName, storageClassName: props.provisionWithStorageClass },
      });
    }
  }
}
