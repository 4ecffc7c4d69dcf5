import { WifError } from '../core/errors.ts';

/** Parses a whole number of seconds from a flag, naming the flag when it is wrong. */
export function parseSeconds(
  flag: string,
  raw: string,
  range: { min: number; max: number },
): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new WifError(
      'usage',
      `${flag} must be a whole number of seconds from ${range.min} to ${range.max}, not "${raw}".`,
    );
  }
  return n;
}
