import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isObjectCreated,
  NotificationFormatError,
  objectKeyOf,
  type ParsedNotification,
  parseS3EventNotification,
  type S3EventRecord,
} from '../../../service/domain/s3-event-notification';
import { sharedDir } from '../../support/local-services';

const rgwSamples = JSON.parse(
  readFileSync(join(sharedDir, 'reference', 'rgw-event-sample.json'), 'utf8'),
) as Record<string, unknown>;

function firstRecord(parsed: ParsedNotification): S3EventRecord {
  const record = parsed.records[0];
  if (!record) throw new Error('expected at least one record');
  return record;
}

function awsRecord(key: string) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-28T18:13:04.877Z',
    eventName: 'ObjectCreated:Put',
    s3: { s3SchemaVersion: '1.0', bucket: { name: 'rubin-pp-dev' }, object: { key, size: 12 } },
  };
}

describe('parseS3EventNotification', () => {
  it.each(['put', 'copy', 'delete', 'persistent_put'])('reads the RGW %s event as RGW pushes it', (name) => {
    const parsed = parseS3EventNotification(rgwSamples[name]);
    expect(parsed.isTestEvent).toBe(false);
    expect(parsed.records).toHaveLength(1);
    const record = firstRecord(parsed);
    expect(record.s3.bucket.name).toMatch(/^b-http/);
    expect(objectKeyOf(record)).toMatch(/^in\//);
  });

  it('keeps fields it does not model, so the record is forwarded unchanged', () => {
    const parsed = parseS3EventNotification(rgwSamples.put);
    expect(JSON.parse(JSON.stringify({ Records: parsed.records }))).toEqual(rgwSamples.put);
  });

  it('tells created from removed events', () => {
    expect(isObjectCreated(firstRecord(parseS3EventNotification(rgwSamples.put)))).toBe(true);
    expect(isObjectCreated(firstRecord(parseS3EventNotification(rgwSamples.copy)))).toBe(true);
    expect(isObjectCreated(firstRecord(parseS3EventNotification(rgwSamples.delete)))).toBe(false);
  });

  it('decodes AWS-style URL-encoded keys but leaves RGW keys as sent', () => {
    const aws = parseS3EventNotification({ Records: [awsRecord('in/hello+world+%C3%BC%2B%26.txt')] });
    expect(objectKeyOf(firstRecord(aws))).toBe('in/hello world ü+&.txt');
    const rgw = parseS3EventNotification({
      Records: [{ ...awsRecord('in/a+b%20c.txt'), eventSource: 'ceph:s3' }],
    });
    expect(objectKeyOf(firstRecord(rgw))).toBe('in/a+b%20c.txt');
  });

  it('unwraps an AWS SNS notification envelope', () => {
    const envelope = {
      Type: 'Notification',
      MessageId: 'abc',
      Message: JSON.stringify({ Records: [awsRecord('HSC/42/x.fz')] }),
    };
    expect(objectKeyOf(firstRecord(parseS3EventNotification(envelope)))).toBe('HSC/42/x.fz');
  });

  it('accepts a MinIO body with its extra top-level fields', () => {
    const body = {
      EventName: 's3:ObjectCreated:Put',
      Key: 'raw/LATISS/x.fits',
      Records: [awsRecord('LATISS/x.fits')],
    };
    const record = firstRecord(parseS3EventNotification(body));
    expect(record.eventName).toBe('ObjectCreated:Put');
  });

  it('recognises the AWS test event as carrying no record', () => {
    const parsed = parseS3EventNotification({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' });
    expect(parsed).toEqual({ records: [], isTestEvent: true });
  });

  it.each([
    ['a string', 'hello', /expected an object with a "Records" array/],
    ['null', null, /expected an object with a "Records" array/],
    ['Records not an array', { Records: {} }, /"Records" array/],
    ['no records', { Records: [] }, /"Records" is empty/],
    [
      'a record without key',
      { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }] },
      /Records\[0\].*s3\.object\.key/,
    ],
    [
      'a record without bucket',
      { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'k' } } }] },
      /Records\[0\].*s3\.bucket/,
    ],
    [
      'a record without event name',
      { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] },
      /Records\[0\].*eventName/,
    ],
    [
      'an SNS envelope with a broken message',
      { Type: 'Notification', Message: '{nope' },
      /SNS Message is not valid JSON/,
    ],
  ])('fails on %s with a reason', (_what, body, reason) => {
    expect(() => parseS3EventNotification(body)).toThrow(NotificationFormatError);
    expect(() => parseS3EventNotification(body)).toThrow(reason);
  });

  it('fails when the second record is bad, naming its index', () => {
    const good = awsRecord('a');
    expect(() => parseS3EventNotification({ Records: [good, { eventName: 'x' }] })).toThrow(/Records\[1\]/);
  });
});
