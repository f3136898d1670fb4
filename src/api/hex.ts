/** Lowercase hex digits written into arrays of character codes (uids, built without strings on the way). */

/** The character codes of "0123456789abcdef". */
export const HEX_CODES = [..."0123456789abcdef"].map((ch) => ch.charCodeAt(0));

/** Writes `value` (an unsigned integer below 2^32) as `digits` lowercase hex digits at `at`. */
export function putHex(codes: number[], at: number, value: number, digits: number): void {
  let v = value >>> 0;
  for (let i = at + digits - 1; i >= at; i--) {
    codes[i] = HEX_CODES[v & 15]!;
    v >>>= 4;
  }
}
