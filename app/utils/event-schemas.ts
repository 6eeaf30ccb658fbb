import { eventFormats } from "../../db/schema/events";
import { LOCAL_INPUT } from "./dates";
import { themeSlugs } from "./themes";
import {
  departmentCodeSchema,
  optionalEmpty,
  pageNumberSchema,
  regionCodeSchema,
  z,
} from "./validation";

export const formatLabels = {
  presentiel: "Présentiel",
  "en-ligne": "En ligne",
  hybride: "Hybride (sur place et en ligne)",
} as const;

export const statusLabels = {
  draft: "Brouillon",
  published: "Publié",
  cancelled: "Annulé",
} as const;

/** The rule shown to organisers, and documented, when they lower the capacity. */
export const capacityRule =
  "Baisser la jauge sous le nombre d'inscrits confirmés ne désinscrit personne : les personnes confirmées gardent leur place, et la liste d'attente ne reprend, dans l'ordre d'arrivée, que lorsque le nombre de confirmés repasse sous la nouvelle jauge. Augmenter la jauge confirme aussitôt les premières personnes de la liste d'attente, qui sont notifiées.";

/**
 * Only plain https links, without credentials, spaces, quotes or angle brackets: the link ends up
 * in an href and in calendar files (Decidim GHSA-j4h6-gcj7-7v9v).
 */
export const onlineUrlSchema = z
  .string()
  .trim()
  .max(500, "Le lien ne peut pas dépasser 500 caractères.")
  .refine(
    (value) => {
      // Whitespace, quotes, brackets, backslashes and control characters never belong in a link.
      // eslint-disable-next-line no-control-regex
      if (/[\s"'<>`\\\u0000-\u001f\u007f]/.test(value)) return false;
      try {
        const url = new URL(value);
        return (
          url.protocol === "https:" && !url.username && !url.password && url.hostname.includes(".")
        );
      } catch {
        return false;
      }
    },
    {
      message:
        "Le lien doit être une adresse https:// valide (par exemple https://visio.exemple.fr/salle).",
    },
  );

const titleSchema = z
  .string({ error: "Le titre est requis." })
  .trim()
  .min(5, "Le titre doit compter au moins 5 caractères.")
  .max(160, "Le titre ne peut pas dépasser 160 caractères.");

const descriptionSchema = z
  .string()
  .trim()
  .max(20_000, "La description ne peut pas dépasser 20 000 caractères.");

const themesSchema = z
  .array(z.enum(themeSlugs, { error: "Thème inconnu." }))
  .min(1, "Choisissez au moins un thème.")
  .max(4, "Choisissez quatre thèmes au plus.");

const formatSchema = z.enum(eventFormats, {
  error: "Choisissez un format : présentiel, en ligne ou hybride.",
});

const capacitySchema = z.coerce
  .number({ error: "La jauge doit être un nombre." })
  .int("La jauge doit être un nombre entier.")
  .min(1, "La jauge doit être d'au moins 1 place (laissez vide pour illimité).")
  .max(100_000, "La jauge ne peut pas dépasser 100 000 places.");

const venueSchema = z.string().trim().max(300, "L'adresse ne peut pas dépasser 300 caractères.");

const localDateTime = (label: string) =>
  z
    .string({ error: `${label} est requise.` })
    .regex(LOCAL_INPUT, `${label} doit être au format jj/mm/aaaa hh:mm.`);

const initiativeIdsSchema = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,80}$/, "Identifiant d'initiative invalide."),
  )
  .max(20, "20 initiatives au plus.");

/** The create/edit form (dates as typed in the event's zone). */
export const EventFormSchema = z.object({
  title: titleSchema,
  description: descriptionSchema.default(""),
  themes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), themesSchema),
  format: formatSchema,
  startsAt: localDateTime("La date de début"),
  endsAt: localDateTime("La date de fin"),
  registrationDeadline: optionalEmpty(localDateTime("La date de clôture")),
  venue: venueSchema.default(""),
  commune: optionalEmpty(z.string().trim().max(200, "Ce nom de commune est trop long.")),
  host: optionalEmpty(z.string().trim().max(200)),
  onlineUrl: optionalEmpty(onlineUrlSchema),
  capacity: optionalEmpty(capacitySchema),
  programme: optionalEmpty(
    z.string().max(10_000, "Le programme ne peut pas dépasser 10 000 caractères."),
  ),
  initiativeIds: optionalEmpty(z.string().max(2_000)),
  status: z.enum(["draft", "published"], { error: "Choisissez brouillon ou publié." }),
});

/**
 * The version (`sequence`) an edit form or API client read: when someone saved in between, the
 * save is refused with a 409 instead of overwriting theirs.
 */
const versionSchema = z.coerce
  .number({ error: "Version de l'événement manquante : rechargez la page." })
  .int("Version de l'événement invalide : rechargez la page.")
  .min(0, "Version de l'événement invalide : rechargez la page.")
  .max(2_147_483_647, "Version de l'événement invalide : rechargez la page.");

/** The edit form: the create form plus the version it was read at. */
export const EventEditFormSchema = EventFormSchema.extend({ version: versionSchema });

// ——— The organisers' management page (one schema per form, told apart by `intent`) ———

export const EventMessageSchema = z.object({
  intent: z.literal("message"),
  subject: z
    .string({ error: "L'objet est requis." })
    .trim()
    .min(3, "L'objet doit compter au moins 3 caractères.")
    .max(120, "L'objet ne peut pas dépasser 120 caractères."),
  body: z
    .string({ error: "Le message est requis." })
    .trim()
    .min(5, "Le message doit compter au moins 5 caractères.")
    .max(5_000, "Le message ne peut pas dépasser 5 000 caractères."),
  audience: z.enum(["confirmed", "all"], { error: "Choisissez les destinataires." }),
});

export const AddOrganiserSchema = z.object({
  intent: z.literal("add-organiser"),
  email: z
    .string({ error: "Indiquez l'adresse électronique de la personne." })
    .trim()
    .email("Adresse électronique invalide.")
    .max(254, "Adresse électronique trop longue."),
});

export const CapacityFormSchema = z.object({
  intent: z.literal("capacity"),
  capacity: optionalEmpty(capacitySchema),
  version: versionSchema,
});

export const CancelEventSchema = z.object({
  intent: z.literal("cancel-event"),
  confirm: z.literal("on", { error: "Cochez la case pour confirmer l'annulation." }),
});

const isoWithOffset = z.iso.datetime({
  offset: true,
  error: "Date ISO 8601 avec décalage attendue, par exemple 2027-03-12T18:00:00+01:00.",
});

const programmeItemSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Date au format AAAA-MM-JJ."),
  time: z.string().regex(/^\d{2}:\d{2}$/, "Heure au format HH:MM."),
  title: z.string().trim().min(1).max(200),
  speakers: z.string().trim().max(300).default(""),
});

/** Body of POST /api/v1/events. */
export const EventCreateApiSchema = z.object({
  title: titleSchema,
  description: descriptionSchema.default(""),
  themes: themesSchema,
  format: formatSchema,
  startsAt: isoWithOffset,
  endsAt: isoWithOffset,
  venue: venueSchema.optional(),
  communeCode: z.string().trim().max(10).optional().nullable(),
  onlineUrl: onlineUrlSchema.optional().nullable(),
  capacity: capacitySchema.optional().nullable(),
  registrationDeadline: isoWithOffset.optional().nullable(),
  status: z.enum(["draft", "published"]).default("published"),
  programme: z.array(programmeItemSchema).max(100).optional(),
  initiativeIds: initiativeIdsSchema.optional(),
  collectivityCode: z.string().trim().max(20).optional(),
});

/** Body of PATCH /api/v1/events/:id: any field of the creation, plus cancelling. */
export const EventPatchApiSchema = EventCreateApiSchema.omit({ collectivityCode: true })
  .partial()
  .extend({
    status: z.enum(["draft", "published", "cancelled"]).optional(),
    description: descriptionSchema.optional(),
    /** The `version` read with GET; a save made since gives a 409 (also accepted as If-Match). */
    version: z
      .number({ error: "La version doit être un nombre entier." })
      .int("La version doit être un nombre entier.")
      .min(0, "La version doit être un nombre entier positif.")
      .optional(),
  });

export const EventListApiQuerySchema = z.object({
  from: isoWithOffset.optional(),
  to: isoWithOffset.optional(),
  region: optionalEmpty(regionCodeSchema),
  department: optionalEmpty(departmentCodeSchema),
  theme: optionalEmpty(z.enum(themeSlugs, { error: "Thème inconnu." })),
  page: pageNumberSchema,
});

export const RegistrationApiSchema = z
  .object({ showPublicly: z.boolean().default(false) })
  .default({ showPublicly: false });

/**
 * "09:30 | Accueil | Intervenants", one line per item; "2027-03-13 09:30 | …" for another day.
 * Returns the items or the French error of the first bad line.
 */
export function parseProgramme(
  text: string,
  firstDay: string,
):
  | { items: Array<{ date: string; time: string; title: string; speakers: string }> }
  | { error: string } {
  const items: Array<{ date: string; time: string; title: string; speakers: string }> = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [when = "", title = "", ...rest] = line.split("|").map((part) => part.trim());
    const match = /^(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2})[:h](\d{2})$/.exec(when);
    if (!match) {
      return {
        error: `Ligne ${index + 1} du programme : commencez par l'heure (09:30), puis « | » et le titre.`,
      };
    }
    if (!title) return { error: `Ligne ${index + 1} du programme : le titre manque après « | ».` };
    const hours = Number(match[2]);
    const minutes = Number(match[3]);
    if (hours > 23 || minutes > 59) {
      return { error: `Ligne ${index + 1} du programme : heure invalide.` };
    }
    items.push({
      date: match[1] ?? firstDay,
      time: `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`,
      title: title.slice(0, 200),
      speakers: rest.join(" | ").slice(0, 300),
    });
    if (items.length > 100) return { error: "Le programme compte 100 lignes au plus." };
  }
  return { items };
}

export function programmeToText(
  items: Array<{ date: string; time: string; title: string; speakers: string }>,
  firstDay: string,
) {
  return items
    .map((item) =>
      [`${item.date === firstDay ? "" : `${item.date} `}${item.time}`, item.title, item.speakers]
        .filter(Boolean)
        .join(" | "),
    )
    .join("\n");
}
