// A whole stream as one Buffer. Node's stream/consumers `buffer()` gathers the chunks into a Blob
// and copies them out again, which for a visit's 100 MB exposures costs a second copy and the Blob
// machinery; when the size is known (a dataset's record says it), the chunks go straight into one
// buffer of that size. A stream that turns out longer or shorter is still returned whole, so the
// caller's size and checksum check reports what was really read.

export async function readAll(stream: NodeJS.ReadableStream, expectedBytes?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let target =
    expectedBytes !== undefined && expectedBytes > 0 ? Buffer.allocUnsafe(expectedBytes) : undefined;
  let length = 0;
  for await (const piece of stream) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
    if (target && length + chunk.length <= target.length) chunk.copy(target, length);
    else {
      if (target) {
        // longer than announced: keep what was copied and gather the rest
        chunks.push(target.subarray(0, length));
        target = undefined;
      }
      chunks.push(chunk);
    }
    length += chunk.length;
  }
  if (target) return length === target.length ? target : target.subarray(0, length);
  return Buffer.concat(chunks, length);
}
