// The one error type of the FITS codec: it says which file, which HDU and what is wrong, so a caller
// can print it as a single line and a user can find the broken bytes.

export interface FitsErrorPlace {
  /** Path or name of the file, when the caller knows it (the pure codec never does). */
  readonly file?: string;
  /** 0-based HDU index (0 = primary), when the problem is inside an HDU. */
  readonly hdu?: number;
}

export class FitsError extends Error {
  override readonly name = 'FitsError';
  readonly file: string | undefined;
  readonly hdu: number | undefined;
  /** What is wrong, without the place: "card 12 (NAXIS1): value is not an integer". */
  readonly problem: string;

  constructor(problem: string, place: FitsErrorPlace = {}) {
    super(describe(problem, place));
    this.problem = problem;
    this.file = place.file;
    this.hdu = place.hdu;
  }

  /** The same error with the file named (the adapter knows it; the codec does not). */
  inFile(file: string): FitsError {
    return new FitsError(this.problem, { file, ...(this.hdu === undefined ? {} : { hdu: this.hdu }) });
  }

  /** The same error placed in an HDU, unless it already names one. */
  inHdu(hdu: number): FitsError {
    if (this.hdu !== undefined) return this;
    return new FitsError(this.problem, { hdu, ...(this.file === undefined ? {} : { file: this.file }) });
  }
}

function describe(problem: string, place: FitsErrorPlace): string {
  const where: string[] = [];
  if (place.file !== undefined) where.push(place.file);
  if (place.hdu !== undefined) where.push(`HDU ${place.hdu}`);
  return where.length === 0 ? problem : `${where.join(': ')}: ${problem}`;
}

/**
 * Turns anything thrown while decoding an HDU into a FitsError placed in that HDU: a RangeError from a
 * typed array or a zlib error means the bytes are corrupt, and the caller must get a reason, not a crash.
 */
export function asFitsError(thrown: unknown, hdu: number): FitsError {
  if (thrown instanceof FitsError) return thrown.inHdu(hdu);
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new FitsError(`corrupt data: ${reason}`, { hdu });
}
