import { roles } from "../../db/schema/accounts";
import { collectivityKinds } from "../../db/schema/collectivities";
import {
  departmentCodeSchema,
  emailSchema,
  jobTitleSchema,
  nameSchema,
  optionalEmpty,
  pageNumberSchema,
  passwordSchema,
  profileKindSchema,
  regionCodeSchema,
  z,
} from "./validation";

/** Query of the directory, shared by /annuaire and GET /api/v1/collectivities. */
export const CollectivitiesQuerySchema = z.object({
  q: z.string().trim().max(100, "La recherche ne peut pas dépasser 100 caractères.").optional(),
  region: optionalEmpty(regionCodeSchema),
  department: optionalEmpty(departmentCodeSchema),
  kind: optionalEmpty(
    z.enum(collectivityKinds, {
      error: "Type invalide : commune, epci, departement, region ou partenaire.",
    }),
  ),
  network: optionalEmpty(z.enum(["oui", "non"], { error: "Filtre réseau invalide : oui ou non." })),
  page: pageNumberSchema,
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** Body of POST /api/v1/users (bulk onboarding by an admin). */
export const CreateUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
  jobTitle: jobTitleSchema,
  profileKind: profileKindSchema,
  collectivityCode: z
    .string({ error: "Le code de la collectivité est requis." })
    .trim()
    .min(2)
    .max(20),
  roles: z
    .array(z.enum(roles, { error: "Rôle inconnu." }))
    .max(5)
    .default([]),
  referent: z.boolean().default(false),
});
