/** Narrows away undefined where the geometry guarantees a value; the message names what was missing. */
export function assertDefined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal error: ${what} is missing`);
  return value;
}
