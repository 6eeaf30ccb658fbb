import { z } from "zod";

// In the browser, zod probes `new Function("")` when its first object schema is built, to decide
// whether to compile parsers; our CSP forbids eval, so the probe is a violation on every page.
// Every client schema imports zod through this module, so this runs before any of them.
if (typeof document !== "undefined") z.config({ jitless: true });

z.config(z.locales.fr());

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// Passwords that meet the length rule but are among the first tried by attackers in French.
const COMMON_PASSWORDS = new Set([
  "azertyuiop",
  "azertyuiopqsdfghjklm",
  "qwertyuiop",
  "motdepasse",
  "motdepassefort",
  "monmotdepasse",
  "password",
  "passwordpassword",
  "soleil",
  "bonjour",
  "doudou",
  "marseille",
  "territoires",
  "villesinternet",
  "administrateur",
  "123456789",
  "1234567890",
  "abcdefghijkl",
]);

function isCommonPassword(password: string) {
  const core = password
    .toLowerCase()
    .replace(/[\d\W_]+$/u, "")
    .replace(/^[\d\W_]+/u, "");
  if (core.length === 0) return true;
  if (COMMON_PASSWORDS.has(core) || COMMON_PASSWORDS.has(password.toLowerCase())) return true;
  return new Set(password).size <= 3;
}

export const passwordSchema = z
  .string({ error: "Le mot de passe est requis." })
  .min(
    PASSWORD_MIN_LENGTH,
    `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  )
  .max(
    PASSWORD_MAX_LENGTH,
    `Le mot de passe ne peut pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
  )
  .refine((value) => !isCommonPassword(value), {
    message:
      "Ce mot de passe est trop courant : choisissez une phrase ou une suite moins prévisible.",
  });

export const emailSchema = z
  .string({ error: "L'adresse électronique est requise." })
  .trim()
  .max(254, "L'adresse électronique est trop longue.")
  .pipe(z.email({ error: "L'adresse électronique n'est pas valide." }))
  .transform((value) => value.toLowerCase());

export const nameSchema = z
  .string({ error: "Le nom est requis." })
  .trim()
  .min(2, "Le nom doit compter au moins 2 caractères.")
  .max(120, "Le nom ne peut pas dépasser 120 caractères.");

export const jobTitleSchema = z
  .string()
  .trim()
  .max(120, "La fonction ne peut pas dépasser 120 caractères.")
  .default("");

export const profileKindSchema = z.enum(["elu", "agent", "partenaire"], {
  error: "Choisissez un profil : élu·e, agent·e ou partenaire.",
});

export const profileKindLabels = {
  elu: "Élu·e",
  agent: "Agent·e",
  partenaire: "Partenaire",
} as const;

/** The `page` of a paginated list or search, from the query string. */
export const pageNumberSchema = z.coerce
  .number({ error: "La page doit être un nombre." })
  .int()
  .min(1)
  .max(10_000)
  .default(1);

/**
 * An optional field where an empty form value ("") or a JSON null means absent. They are turned
 * into undefined before validation, so a bad value gets the field's own French message (a union
 * with the empty string would only say "Entrée invalide").
 */
export const optionalEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

/** An INSEE région code: two digits ("53"). */
export const regionCodeSchema = z
  .string()
  .regex(/^\d{2}$/, "Code de région invalide (deux chiffres, par exemple 53).");

/** An INSEE département code: two or three digits, or 2A/2B for Corsica ("56", "2A", "974"). */
export const departmentCodeSchema = z
  .string()
  .regex(/^(\d{2,3}|2A|2B)$/i, "Code de département invalide (par exemple 56, 2A ou 974).")
  .transform((value) => value.toUpperCase());

export { z };
