import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { NeighbourInvitations, SentInvitations } from "~/components/collectivity-invitations";
import { EventCard } from "~/components/event-card";
import { InitiativeCardGrid, InitiativeLinks } from "~/components/initiative-card";
import { LabelHistory } from "~/components/label-level";
import { Notice } from "~/components/notice";
import { OrganisationHeader } from "~/components/organisation-header";
import { OrganisationMembers } from "~/components/organisation-members";
import { getCollectivity } from "~/models/collectivities.server";
import { listEvents } from "~/models/events.server";
import { invitationsOf, neighbouringCommunes } from "~/models/invitations.server";
import { labelHistory } from "~/models/label-results.server";
import { partnerSlugOf } from "~/models/organisations.server";
import { kindLabels } from "~/utils/labels";
import { membershipDecisionAction } from "~/utils/membership-decisions.server";
import { organisationPage, withPlacesLeft } from "~/utils/organisation-page.server";
import { formatNumber } from "~/utils/text";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const collectivity = await getCollectivity(params.code ?? "");
  if (!collectivity) throw new Response("Collectivité introuvable.", { status: 404 });
  // A partner organisation of the council has its own page.
  if (collectivity.kind === "partenaire") {
    const slug = await partnerSlugOf(collectivity.code);
    if (slug) throw redirect(`/partenaires/${slug}`, 301);
  }
  const viewer = context.auth.user;
  const [{ members, canManage, initiatives, upcoming }, past, label, neighbours, sent] =
    await Promise.all([
      organisationPage(collectivity.code, viewer),
      listEvents({ collectivityCode: collectivity.code, period: "past", pageSize: 5 }, viewer),
      labelHistory(collectivity.code),
      neighbouringCommunes(collectivity),
      viewer ? invitationsOf(viewer, collectivity.code) : null,
    ]);
  const events = { upcoming, past: withPlacesLeft(past.items) };
  const invitations = { neighbours, sent };
  return { collectivity, members, canManage, initiatives, events, label, invitations };
}

export async function action(args: ActionFunctionArgs) {
  return membershipDecisionAction(args, args.params.code ?? "");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.collectivity.name} — Territoires Internet` : "Collectivité introuvable" },
];

export default function CollectivityPage() {
  const { collectivity, members, canManage, initiatives, events, label, invitations } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const inNetwork = members.some((member) => member.status === "approved");
  return (
    <div className="container stack">
      <OrganisationHeader
        back={{ to: "/annuaire", label: "Annuaire" }}
        name={collectivity.name}
        message={result?.message}
        facts={
          <>
            <dt>Type</dt>
            <dd>
              {kindLabels[collectivity.kind]}
              {collectivity.kind === "epci" && collectivity.subtype
                ? ` (${collectivity.subtype})`
                : null}
            </dd>
            <dt>{collectivity.kind === "epci" ? "Siren" : "Code officiel"}</dt>
            <dd>{collectivity.code}</dd>
            {collectivity.population ? (
              <>
                <dt>Population</dt>
                <dd>{formatNumber(collectivity.population)} habitants</dd>
              </>
            ) : null}
            {collectivity.postcodes.length > 0 ? (
              <>
                <dt>Codes postaux</dt>
                <dd>{collectivity.postcodes.join(", ")}</dd>
              </>
            ) : null}
            {collectivity.parents.map((parent) => (
              <FactLink
                key={parent.code}
                label={kindLabels[parent.kind]}
                code={parent.code}
                name={parent.name}
              />
            ))}
          </>
        }
      />

      <LabelHistory code={collectivity.code} history={label} />

      {!inNetwork ? (
        <Notice kind="info">
          {collectivity.name} n'est pas encore membre du réseau.{" "}
          <Link to={`/invitations?vers=${collectivity.code}`}>
            Inviter une personne de {collectivity.name}
          </Link>
        </Notice>
      ) : null}
      {invitations.sent ? <SentInvitations invitations={invitations.sent} /> : null}
      {invitations.neighbours.length > 0 || inNetwork ? (
        <NeighbourInvitations
          collectivityName={collectivity.name}
          neighbours={invitations.neighbours}
        />
      ) : null}

      <section className="card stack" aria-labelledby="evenements">
        <h2 id="evenements">Événements</h2>
        {events.upcoming.length === 0 && events.past.length === 0 ? (
          <p>Aucun événement organisé par cette collectivité pour l'instant.</p>
        ) : null}
        {events.upcoming.length > 0 ? (
          <ul className="list-plain">
            {events.upcoming.map((event) => (
              <li key={event.id}>
                <EventCard event={event} />
              </li>
            ))}
          </ul>
        ) : null}
        {events.past.length > 0 ? (
          <>
            <h3>Événements passés</h3>
            <ul>
              {events.past.map((event) => (
                <li key={event.id}>
                  <Link to={`/evenements/${event.slug}`}>{event.title}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <OrganisationMembers members={members} canManage={canManage} />

      <section className="stack" aria-labelledby="initiatives">
        <h2 id="initiatives">Initiatives</h2>
        {initiatives.own.length === 0 ? (
          <p>
            Aucune initiative partagée pour l'instant.
            {initiatives.canCreate ? (
              <>
                {" "}
                <Link to="/initiatives/nouvelle">Partager la première</Link>.
              </>
            ) : null}
          </p>
        ) : (
          <InitiativeCardGrid initiatives={initiatives.own} />
        )}
        {initiatives.adopted.length > 0 ? (
          <>
            <h3>Reprises d'autres collectivités</h3>
            <InitiativeLinks initiatives={initiatives.adopted} />
          </>
        ) : null}
      </section>
    </div>
  );
}

function FactLink({ label, code, name }: { label: string; code: string; name: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <Link to={`/collectivites/${code}`}>{name}</Link>
      </dd>
    </>
  );
}
