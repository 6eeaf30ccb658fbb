import { z } from "zod";

import { CouncilTopicsQuerySchema, OrganisationsQuerySchema } from "../utils/council-schemas";
import {
  EventCreateApiSchema,
  EventListApiQuerySchema,
  EventPatchApiSchema,
  RegistrationApiSchema,
} from "../utils/event-schemas";
import {
  NewPostSchema,
  NewTopicSchema,
  PostsQuerySchema,
  TopicsQuerySchema,
} from "../utils/forum-schemas";
import {
  ApiInitiativePatchSchema,
  ApiInitiativeSchema,
  InitiativeQuerySchema,
} from "../utils/initiative-schemas";
import { ResultsQuerySchema } from "../utils/label-schemas";
import { CreateUserSchema, CollectivitiesQuerySchema } from "../utils/schemas";
import { SiteSearchApiQuerySchema } from "../utils/search-kinds";

type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  auth?: "token" | "admin";
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<string, string>;
};

/**
 * The API's operations. Request schemas are the very zod schemas the routes validate with, so
 * the document cannot drift from the code; later domains append their operations.
 */
export const operations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/search",
    summary:
      "Recherche dans tout le réseau (initiatives, sujets, réponses des forums, événements, collectivités, membres), classée par pertinence, avec les droits du jeton ou de la session ; `types` : liste séparée par des virgules",
    query: SiteSearchApiQuerySchema,
    responses: {
      "200":
        "{ items: [{ type, id, title, snippet, url }], totals: { <type>: n }, page, pageSize, degraded }",
      "400": "Paramètre invalide ou type inconnu",
    },
  },
  {
    method: "get",
    path: "/api/v1/collectivities",
    summary: "Rechercher dans l'annuaire des collectivités",
    query: CollectivitiesQuerySchema,
    responses: { "200": "{ items, total, page }", "400": "Paramètre invalide" },
  },
  {
    method: "get",
    path: "/api/v1/collectivities/{code}",
    summary: "Une collectivité (code Insee, Siren, dep-XX ou reg-XX) et ses membres",
    responses: { "200": "La collectivité", "404": "Introuvable" },
  },
  {
    method: "get",
    path: "/api/v1/organisations",
    summary:
      "Organisations membres du conseil des partenaires : collectivités ayant au moins un membre validé et organisations partenaires, chacune avec son collège (economique, social, education-recherche, collectivites, etat-services)",
    query: OrganisationsQuerySchema,
    responses: {
      "200": "{ items: [{ code, name, type, kind, college, url }], total, page, pageSize }",
      "400": "Paramètre invalide",
    },
  },
  {
    method: "get",
    path: "/api/v1/council/topics",
    summary:
      "Sujets proposés au conseil des partenaires ; `status` : proposed, merged (doublon fusionné, avec mergedIntoId) ou selected",
    query: CouncilTopicsQuerySchema,
    responses: {
      "200":
        "{ items: [{ id, year, title, why, expectedOutcome, themes, status, mergedIntoId, organisation, discussionUrl }] }",
      "400": "Paramètre invalide",
    },
  },
  {
    method: "get",
    path: "/api/v1/council/votes/{id}/results",
    summary:
      "Résultats d'un vote du conseil, publiés à la clôture seulement : décompte par sujet et par collège, participation",
    responses: {
      "200":
        "{ vote: { id, title, opensAt, closesAt, maxChoices }, ballots, electorate, colleges: [{ college, electors, ballots }], topics: [{ id, title, approvals, byCollege, score }] }",
      "403": "Vote pas encore clos : rien n'est lisible avant la clôture",
      "404": "Vote introuvable",
    },
  },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "Le compte du jeton (ou de la session) et son nombre de notifications non lues",
    auth: "token",
    responses: { "200": "Le profil, avec unreadNotifications", "401": "Jeton absent ou invalide" },
  },
  {
    method: "post",
    path: "/api/v1/users",
    summary: "Créer un membre validé d'une collectivité (administrateurs)",
    auth: "admin",
    body: CreateUserSchema,
    responses: {
      "201": "{ id }",
      "401": "Jeton absent ou invalide",
      "403": "Réservé aux administrateurs",
      "409": "Adresse déjà utilisée",
      "422": "Champs invalides",
    },
  },
  {
    method: "get",
    path: "/api/v1/initiatives",
    summary:
      "Initiatives publiées : avec q, classées par le moteur de recherche (avec les comptes par facette) ; sans q, les plus récentes",
    query: InitiativeQuerySchema,
    responses: {
      "200":
        "{ items: [{ id, slug, title, summary, themes, tags, year, collectivity: { code, name }, url, publishedAt, updatedAt }], total, page, facets? }",
      "400": "Paramètre invalide",
      "503": "Recherche momentanément indisponible",
    },
  },
  {
    method: "post",
    path: "/api/v1/initiatives",
    summary:
      "Créer une initiative pour la collectivité du jeton (un administrateur peut nommer collectivityCode) ; statut « draft » par défaut",
    auth: "token",
    body: ApiInitiativeSchema,
    responses: {
      "201": "{ id, slug, url }",
      "401": "Jeton absent ou invalide",
      "403": "Membre non validé, ou autre collectivité",
      "422": "Champs invalides",
      "429": "Trop de publications",
    },
  },
  {
    method: "get",
    path: "/api/v1/initiatives/{id}",
    summary: "Une initiative (les brouillons ne sont visibles que de leur collectivité)",
    responses: { "200": "L'initiative complète, avec sa version", "404": "Introuvable" },
  },
  {
    method: "patch",
    path: "/api/v1/initiatives/{id}",
    summary:
      "Modifier une initiative de sa collectivité ; avec version (celle lue par GET), refusé si quelqu'un l'a enregistrée depuis",
    auth: "token",
    body: ApiInitiativePatchSchema,
    responses: {
      "200": "{ id, slug, version, url }",
      "403": "Initiative d'une autre collectivité",
      "404": "Introuvable",
      "409": "Modifiée depuis cette version : chaque champ qui diffère cite la valeur enregistrée",
      "422": "Champs invalides",
    },
  },
  {
    method: "delete",
    path: "/api/v1/initiatives/{id}",
    summary: "Supprimer une initiative de sa collectivité",
    auth: "token",
    responses: {
      "204": "Supprimée",
      "403": "Initiative d'une autre collectivité",
      "404": "Introuvable",
    },
  },
  {
    method: "get",
    path: "/api/v1/initiatives.csv",
    summary: "Export CSV de toutes les initiatives publiées (Licence Ouverte / Etalab 2.0)",
    responses: {
      "200": "text/csv, identifiants stables, formules neutralisées",
      "429": "Trop de téléchargements depuis cette adresse",
    },
  },
  {
    method: "get",
    path: "/api/v1/initiatives.json",
    summary: "Export JSON de toutes les initiatives publiées (Licence Ouverte / Etalab 2.0)",
    responses: {
      "200": "{ licence, producer, generatedAt, items, total }",
      "429": "Trop de téléchargements depuis cette adresse",
    },
  },
  {
    method: "get",
    path: "/api/v1/forums",
    summary: "Les catégories des forums lisibles par le demandeur, avec leurs compteurs",
    responses: { "200": "{ items }", "401": "Jeton invalide" },
  },
  {
    method: "get",
    path: "/api/v1/forums/{category}/topics",
    summary: "Les sujets d'une catégorie (épinglés d'abord, puis par activité)",
    query: TopicsQuerySchema,
    responses: { "200": "{ items, total, page }", "404": "Catégorie introuvable ou réservée" },
  },
  {
    method: "post",
    path: "/api/v1/forums/{category}/topics",
    summary:
      "Ouvrir un sujet (membres validés). En-tête facultatif Idempotency-Key : un renvoi avec la même clé ne crée rien de plus.",
    auth: "token",
    body: NewTopicSchema,
    responses: {
      "201": "{ id, url }",
      "401": "Jeton absent ou invalide",
      "403": "Adhésion non validée",
      "404": "Catégorie introuvable ou réservée",
      "422": "Champs invalides",
      "429": "Trop de sujets ouverts (Retry-After)",
    },
  },
  {
    method: "get",
    path: "/api/v1/topics/{id}/posts",
    summary:
      "Les messages visibles d'un sujet après l'identifiant `after`, dans l'ordre, et avec `since` les messages jusqu'à `after` modifiés, masqués, rétablis ou supprimés après ce numéro de modification (rattrapage après reconnexion)",
    query: PostsQuerySchema,
    responses: {
      "200": "{ items, hasMore, lastPostId, lastChangeId, changes?, changesHaveMore? }",
      "404": "Sujet introuvable ou réservé",
    },
  },
  {
    method: "post",
    path: "/api/v1/topics/{id}/posts",
    summary:
      "Répondre dans un sujet (membres validés). En-tête facultatif Idempotency-Key : un renvoi avec la même clé renvoie le même message.",
    auth: "token",
    body: NewPostSchema,
    responses: {
      "201": "{ id, url }",
      "401": "Jeton absent ou invalide",
      "403": "Adhésion non validée",
      "404": "Sujet introuvable ou réservé",
      "409": "Sujet verrouillé",
      "422": "Champs invalides",
      "429": "Trop de messages (Retry-After)",
    },
  },
  {
    method: "get",
    path: "/api/v1/events",
    summary:
      "Événements publics (sans `from`, ceux qui ne sont pas terminés), du plus proche au plus lointain",
    query: EventListApiQuerySchema,
    responses: {
      "200":
        "{ items: [{ id, slug, title, startsAt, endsAt, format, collectivity: { code, name }, capacity, placesLeft, url }], total, page }",
      "400": "Paramètre invalide",
    },
  },
  {
    method: "post",
    path: "/api/v1/events",
    summary: "Créer un événement (organisateurs ; dates ISO 8601 avec décalage)",
    auth: "token",
    body: EventCreateApiSchema,
    responses: {
      "201": "{ id, slug, url }",
      "401": "Jeton absent ou invalide",
      "403": "Réservé aux organisateurs membres validés d'une collectivité",
      "422": "Champs invalides",
      "429": "Trop de créations ou modifications d'événements (Retry-After)",
    },
  },
  {
    method: "get",
    path: "/api/v1/events/{id}",
    summary:
      "Un événement (le lien en ligne n'est donné qu'aux inscrits confirmés et aux organisateurs)",
    responses: {
      "200":
        "L'événement, avec sa `version` (à renvoyer avec une modification) et, pour l'étape d'un cycle, `series` : { slug, title, url }",
      "404": "Introuvable",
    },
  },
  {
    method: "patch",
    path: "/api/v1/events/{id}",
    summary:
      'Modifier, publier ou annuler (status: cancelled) un événement (ses organisateurs). Envoyer la `version` lue par GET (dans le corps ou en `If-Match: "3"`) protège d\'écraser une modification faite entre-temps.',
    auth: "token",
    body: EventPatchApiSchema,
    responses: {
      "200": "{ id, slug, url, version }",
      "400": "En-tête If-Match invalide",
      "403": "Vous n'organisez pas cet événement",
      "404": "Introuvable",
      "409":
        "Événement annulé, ou modifié depuis la version envoyée (les champs qui diffèrent donnent la valeur enregistrée)",
      "422": "Champs invalides",
      "429": "Trop de créations ou modifications d'événements (Retry-After)",
    },
  },
  {
    method: "post",
    path: "/api/v1/events/{id}/registrations",
    summary: "S'inscrire (confirmé tant qu'il reste des places, puis liste d'attente dans l'ordre)",
    auth: "token",
    body: RegistrationApiSchema,
    responses: {
      "201": '{ status: "confirmed" | "waitlisted", position? }',
      "200": "Même inscription, renvoyée à une requête rejouée avec l'en-tête Idempotency-Key",
      "404": "Introuvable",
      "409": "Inscriptions closes, événement annulé ou déjà inscrit·e",
      "429": "Trop de tentatives",
    },
  },
  {
    method: "delete",
    path: "/api/v1/events/{id}/registrations/me",
    summary: "Annuler son inscription (la première personne en attente prend la place)",
    auth: "token",
    responses: {
      "200": '{ status: "cancelled", promoted }',
      "404": "Pas inscrit·e ou introuvable",
    },
  },
  {
    method: "get",
    path: "/api/v1/event-series/{slug}",
    summary:
      "Un cycle d'événements (les assises territoriales) et ses étapes, chacune dans le fuseau de son lieu ; l'inscription se fait étape par étape",
    responses: {
      "200":
        "{ id, slug, title, description, status, publishedAt, url, calendarUrl, hosts: [{ code, name }], stages: [{ id, slug, title, startsAt, endsAt, timeZone, format, status, collectivity, commune, capacity, placesLeft, registrationDeadline, url, place: { venue, commune, department, region }, host: { code, name }, links: { page, calendar, registrations } }] }",
      "404": "Introuvable (ou brouillon)",
    },
  },
  {
    method: "get",
    path: "/api/v1/label/campaigns",
    summary:
      "Les campagnes du label : { items: [{ year, opensAt, registrationDeadline, submissionDeadline, publishedAt, status }] } ; une date limite vaut jusqu'à la fin de sa minute (heure de Paris)",
    responses: { "200": "{ items }" },
  },
  {
    method: "get",
    path: "/api/v1/label/results",
    summary:
      "Résultats publiés du label : { items: [{ collectivity: { code, name }, year, level, mentions }], total } ; rien avant la date de publication",
    query: ResultsQuerySchema,
    responses: { "200": "{ items, total }", "400": "Paramètre invalide" },
  },
  {
    method: "get",
    path: "/api/v1/label/results.csv",
    summary: "Résultats publiés du label en CSV (données ouvertes, Licence Ouverte / Etalab 2.0)",
    query: ResultsQuerySchema,
    responses: { "200": "Fichier CSV", "400": "Paramètre invalide" },
  },
];

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        fields: {
          type: "object",
          additionalProperties: { type: "array", items: { type: "string" } },
        },
      },
      required: ["code", "message"],
    },
  },
};

function parametersOf(operation: Operation) {
  const parameters: Array<Record<string, unknown>> = [];
  for (const match of operation.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string" } });
  }
  if (operation.query) {
    const schema = z.toJSONSchema(operation.query, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, unknown>;
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      parameters.push({ name, in: "query", required: false, schema: property });
    }
  }
  return parameters;
}

export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, description]) => [
        status,
        status.startsWith("2")
          ? { description }
          : {
              description,
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
      ]),
    );
    (paths[operation.path] ??= {})[operation.method] = {
      summary: operation.summary,
      parameters: parametersOf(operation),
      ...(operation.auth ? { security: [{ bearer: [] }] } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: z.toJSONSchema(operation.body, { io: "input", unrepresentable: "any" }),
                },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "API Territoires Internet",
      version: "1.0.0",
      description:
        "API ouverte du réseau. Authentification par jeton personnel : `Authorization: Bearer <jeton>` (à créer depuis la page Mon compte). Erreurs : `{ error: { code, message, fields? } }`.",
      license: {
        name: "Licence Ouverte / Etalab 2.0",
        url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
      },
    },
    servers: [{ url: origin }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
