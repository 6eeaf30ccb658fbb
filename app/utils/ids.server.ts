import { createHash, randomBytes } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random lowercase base32 identifier: 25 bytes of entropy give 40 characters. */
export function randomId(bytes = 15): string {
  const data = randomBytes(bytes);
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32[(value << (5 - bits)) & 31];
  return output;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
