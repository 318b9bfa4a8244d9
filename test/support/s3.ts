// S3 and SNS clients for the local Ceph RGW, configured from .services/rgw/s3.env.
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { s3Endpoint } from './local-services';

function clientConfig() {
  const { endpoint, region, accessKeyId, secretAccessKey } = s3Endpoint();
  return { endpoint, region, credentials: { accessKeyId, secretAccessKey } };
}

export function testS3(): S3Client {
  // RGW answers on a path-style endpoint (rgw dns name = localhost); bounded retries keep a dead
  // endpoint from stalling a test.
  return new S3Client({ ...clientConfig(), forcePathStyle: true, maxAttempts: 2 });
}

export function testSns(): SNSClient {
  return new SNSClient({ ...clientConfig(), maxAttempts: 2 });
}
