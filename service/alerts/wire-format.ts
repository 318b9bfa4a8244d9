// Confluent wire framing of an Avro message: magic byte 0, the schema id as a big-endian int32, then the
// schemaless Avro body (ap_association packageAlerts: struct.pack(">bi", 0, schema_id) + body).

export class AlertFramingError extends Error {
  override readonly name = 'AlertFramingError';
}

/** Bytes of the framing before the Avro body. */
export const FRAME_HEADER_BYTES = 5;

export function frameAlert(body: Buffer, schemaId: number): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  writeFrameHeader(header, schemaId);
  return Buffer.concat([header, body]);
}

/** The magic byte and schema id into the first FRAME_HEADER_BYTES of `message`. */
export function writeFrameHeader(message: Buffer, schemaId: number): void {
  message.writeUInt8(0, 0);
  message.writeInt32BE(schemaId, 1);
}

export function unframeAlert(message: Buffer): { schemaId: number; body: Buffer } {
  if (message.length < 5 || message.readUInt8(0) !== 0) {
    throw new AlertFramingError(
      `not a Confluent-framed message (${message.length} bytes, first byte ${message[0]}): expected magic byte 0 and a schema id`,
    );
  }
  return { schemaId: message.readInt32BE(1), body: message.subarray(5) };
}
