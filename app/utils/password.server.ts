import { hash, verify } from "@node-rs/argon2";

import { PASSWORD_MAX_LENGTH } from "./validation";

// OWASP's argon2id minimum (19 MiB, 2 passes); the library's default algorithm is argon2id.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  // Longer passwords are refused before hashing, so a huge body cannot tie up the CPU.
  if (password.length > PASSWORD_MAX_LENGTH) throw new Error("password too long to hash");
  return hash(password, options);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password; with no stored hash (unknown account) it still runs argon2 on a dummy
 * hash so that both answers take the same time.
 */
export async function verifyPassword(storedHash: string | null, password: string) {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  if (!storedHash) {
    dummyHash ??= hash("mot de passe factice pour égaliser les temps", options);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
