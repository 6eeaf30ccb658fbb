import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { EventCard } from "~/components/event-card";
import { PageNotices } from "~/components/page-notices";
import { canManageMembers } from "~/models/collectivities.server";
import { placesLeft } from "~/models/event-places.server";
import { decideInvitation } from "~/models/event-series-writes.server";
import {
  canManageSeries,
  findSeries,
  groupByPlace,
  hostOfViewer,
  listHosts,
  organisedAmong,
  seriesStages,
} from "~/models/event-series.server";
import { hasRole, requireUser } from "~/utils/auth.server";
import { formatRange, zoneLabel } from "~/utils/dates";
import { InvitationAnswerSchema } from "~/utils/event-series-schemas";
import { renderMarkdown } from "~/utils/markdown.server";
import { invariantResponse } from "~/utils/replies.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const series = await findSeries({ slug: params.slug ?? "" }, viewer);
  invariantResponse(series, "Cycle d'événements introuvable.");
  const [stages, hosts, myHost] = await Promise.all([
    seriesStages(series.id, viewer),
    listHosts(series.id),
    hostOfViewer(series, viewer),
  ]);
  const managed = await organisedAmong(
    viewer,
    stages.map((stage) => stage.id),
  );
  const manage = canManageSeries(viewer, series);
  const admin = hasRole(viewer, "admin");
  const cards = stages.map((stage) => ({
    ...stage,
    placesLeft: placesLeft(stage),
    zone: zoneLabel(stage.timeZone),
    manage: managed.has(stage.id) || admin,
  }));
  return {
    series: { ...series, descriptionHtml: renderMarkdown(series.description) },
    stages: cards,
    places: groupByPlace(stages).map((region) => ({
      regionName: region.regionName,
      departments: region.departments.map((department) => ({
        code: department.code,
        name: department.name,
        stages: department.stages.map((stage) => ({
          id: stage.id,
          slug: stage.slug,
          title: stage.title,
          communeName: stage.communeName,
          collectivityName: stage.collectivityName,
          when: formatRange(stage.startsAt, stage.endsAt, stage.timeZone),
        })),
      })),
    })),
    // Invitations not yet accepted are the organiser's business; accepted hosts are public.
    hosts: manage || admin ? hosts : hosts.filter((host) => host.status === "accepted"),
    myHost,
    manage,
    admin,
  };
}

/** The référent's (or an admin's) answer to an invitation to host a stage. */
export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const series = await findSeries({ slug: args.params.slug ?? "" }, user);
  invariantResponse(series, "Cycle d'événements introuvable.");
  const submission = parseWithZod(await args.request.formData(), {
    schema: InvitationAnswerSchema,
  });
  if (submission.status !== "success") {
    return json({ result: submission.reply({ formErrors: ["Réponse invalide."] }) }, 400);
  }
  const { intent, collectivityCode } = submission.value;
  if (!(await canManageMembers(user, collectivityCode))) {
    return json(
      {
        result: submission.reply({
          formErrors: ["Seul le ou la référente de la collectivité répond à l'invitation."],
        }),
      },
      403,
    );
  }
  const decided = await decideInvitation(user, series.id, collectivityCode, intent);
  if (!decided.ok) {
    return json(
      { result: submission.reply({ formErrors: [decided.formError ?? "Réponse impossible."] }) },
      decided.status,
    );
  }
  return redirect(`/evenements/series/${series.slug}?invitation=${decided.value.status}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.series.title} — Événements — Territoires Internet`
      : "Cycle d'événements introuvable",
  },
];

const notices: Record<string, string> = {
  accepted:
    "Invitation acceptée : les membres de votre collectivité peuvent maintenant créer votre étape.",
  declined: "Invitation déclinée.",
  cree: "Le cycle est enregistré.",
};

const hostStatusLabels = { invited: "Invitée", accepted: "Hôte", declined: "A décliné" } as const;

export default function SeriesPage() {
  const { series, stages, places, hosts, myHost, manage, admin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = notices[params.get("invitation") ?? params.get("cycle") ?? ""];
  // A référent answers their own invitation: the public host list holds accepted hosts only.
  const answerable = admin
    ? hosts.filter((host) => host.status === "invited")
    : myHost?.status === "invited" && myHost.isReferent
      ? [myHost]
      : [];
  return (
    <div className="container stack">
      <p>
        <Link to="/evenements/series">← Cycles d'événements</Link>
      </p>
      <PageNotices
        success={notice}
        errors={actionData?.result.error?.[""]}
        draft={
          series.status === "draft"
            ? "Brouillon : la page sera publique quand l'organisation publiera le cycle."
            : null
        }
      />
      <h1>{series.title}</h1>
      <div className="actions">
        <a href={`/evenements/series/${series.slug}.ics`}>
          Ajouter toutes les étapes à mon agenda (iCal)
        </a>
        {manage ? (
          <Link to={`/evenements/series/${series.slug}/gestion`}>Gérer le cycle</Link>
        ) : null}
      </div>

      {series.descriptionHtml ? (
        <section className="card prose" aria-labelledby="presentation">
          <h2 id="presentation">Présentation</h2>
          <div dangerouslySetInnerHTML={{ __html: series.descriptionHtml }} />
        </section>
      ) : null}

      {myHost && myHost.status !== "declined" ? (
        <section className="card stack" aria-labelledby="votre-etape">
          <h2 id="votre-etape">Votre collectivité dans ce cycle</h2>
          {myHost.status === "invited" ? (
            <p>
              {myHost.collectivityName} est invitée à accueillir une étape.{" "}
              {myHost.isReferent
                ? "En tant que référent·e, vous pouvez accepter ou décliner l'invitation ci-dessous."
                : "Le ou la référente de votre collectivité peut accepter l'invitation."}
            </p>
          ) : myHost.stageSlug ? (
            <p>
              Votre étape : <Link to={`/evenements/${myHost.stageSlug}`}>voir l'étape</Link>.
            </p>
          ) : (
            <p>
              {myHost.collectivityName} accueille une étape.{" "}
              <Link to={`/evenements/series/${series.slug}/etape`}>Créer notre étape</Link>
            </p>
          )}
        </section>
      ) : null}

      <section className="stack" aria-labelledby="etapes">
        <h2 id="etapes">Les étapes ({stages.length})</h2>
        {stages.length === 0 ? (
          <p>
            Aucune étape publiée pour l'instant : les collectivités hôtes les ajoutent au fil de la
            préparation.
          </p>
        ) : (
          <ul className="list-plain stack">
            {stages.map((stage) => (
              <li key={stage.id} className="stack">
                <EventCard event={stage} headingLevel={3} />
                <p className="muted">
                  Accueillie par {stage.collectivityName} ; horaires en {stage.zone}.
                  {stage.manage ? (
                    <>
                      {" "}
                      <Link to={`/evenements/${stage.slug}/modifier`}>
                        Modifier l'étape « {stage.title} »
                      </Link>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {stages.length > 0 ? (
        <section className="card stack" aria-labelledby="lieux">
          <h2 id="lieux">Les étapes par lieu</h2>
          <img
            className="map"
            src={`/evenements/series/${series.slug}/carte.svg`}
            alt="Carte des départements de métropole qui accueillent une étape ; la liste qui suit donne chaque étape, outre-mer compris."
            width={320}
            height={320}
          />
          {places.map((region) => (
            <div key={region.regionName} className="stack">
              <h3>{region.regionName}</h3>
              {region.departments.map((department) => (
                <div key={department.code}>
                  <h4>
                    {department.name}
                    {department.code ? ` (${department.code})` : ""}
                  </h4>
                  <ul>
                    {department.stages.map((stage) => (
                      <li key={stage.id}>
                        <Link to={`/evenements/${stage.slug}`}>{stage.title}</Link> —{" "}
                        {stage.communeName ?? stage.collectivityName}, {stage.when}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          ))}
        </section>
      ) : null}

      {hosts.length > 0 ? (
        <section className="card stack" aria-labelledby="hotes">
          <h2 id="hotes">Collectivités hôtes</h2>
          <ul>
            {hosts.map((host) => (
              <li key={host.collectivityCode}>
                {host.collectivityName}
                {manage || admin ? ` — ${hostStatusLabels[host.status]}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {answerable.map((host) => (
        <section
          key={host.collectivityCode}
          className="card stack"
          aria-labelledby={`invitation-${host.collectivityCode}`}
        >
          <h2 id={`invitation-${host.collectivityCode}`}>Invitation de {host.collectivityName}</h2>
          <p>
            En acceptant, vous permettez aux membres validés de {host.collectivityName} de créer et
            gérer l'étape qu'elle accueille.
          </p>
          <Form method="post" className="actions">
            <input type="hidden" name="collectivityCode" value={host.collectivityCode} />
            <button type="submit" name="intent" value="accept">
              Accepter l'invitation
            </button>
            <button type="submit" name="intent" value="decline" className="secondary">
              Décliner
            </button>
          </Form>
        </section>
      ))}
    </div>
  );
}
