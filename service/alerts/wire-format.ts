// Confluent wire framing of an Avro message: magic byte 0, the schema id as a big-endian int32, then the
// schemaless Avro body (ap_association packageAlerts: struct.pack(">bi", 0, schema_id) + body).

export class AlertFramingError extends Error {
  override readonly name = 'AlertFramingError';
}

export function frameAlert(body: Buffer, schemaId: number): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function unframeAlert(message: Buffer): { schemaId: number; body: Buffer } {
  if (message.length < 5 || message.readUInt8(0) !== 0) {
    throw new AlertFramingError(
      `not a Confluent-framed message (${message.length} bytes, first byte ${message[0]}): expected magic byte 0 and a schema id`,
    );
  }
  return { schemaId: message.readInt32BE(1), body: message.subarray(5) };
}
