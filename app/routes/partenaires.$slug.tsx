import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { EventCard } from "~/components/event-card";
import { InitiativeCardGrid } from "~/components/initiative-card";
import { OrganisationHeader } from "~/components/organisation-header";
import { OrganisationMembers } from "~/components/organisation-members";
import { getPartner } from "~/models/organisations.server";
import { hasRole } from "~/utils/auth.server";
import { collegeLabels, partnerKindLabels } from "~/utils/council-schemas";
import { membershipDecisionAction } from "~/utils/membership-decisions.server";
import { organisationPage } from "~/utils/organisation-page.server";
import { invariantResponse } from "~/utils/replies.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const partner = await getPartner(params.slug ?? "");
  invariantResponse(partner, "Organisation introuvable.");
  const viewer = context.auth.user;
  const { members, canManage, initiatives, upcoming } = await organisationPage(
    partner.code,
    viewer,
  );
  return {
    partner,
    members,
    canManage,
    canEdit: hasRole(viewer, "admin"),
    initiatives: initiatives.own,
    events: upcoming,
  };
}

export async function action(args: ActionFunctionArgs) {
  const partner = await getPartner(args.params.slug ?? "");
  invariantResponse(partner, "Organisation introuvable.");
  return membershipDecisionAction(args, partner.code);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.partner.name} — Territoires Internet` : "Organisation introuvable" },
];

export default function PartnerPage() {
  const { partner, members, canManage, canEdit, initiatives, events } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container stack">
      <OrganisationHeader
        back={{ to: "/annuaire?kind=partenaire", label: "Partenaires du conseil" }}
        name={partner.name}
        message={result?.message}
        facts={
          <>
            <dt>Type</dt>
            <dd>{partnerKindLabels[partner.kind]}</dd>
            <dt>Collège du conseil</dt>
            <dd>{collegeLabels[partner.college]}</dd>
            {partner.siren ? (
              <>
                <dt>Siren</dt>
                <dd>{partner.siren}</dd>
              </>
            ) : null}
            {partner.website ? (
              <>
                <dt>Site</dt>
                <dd>
                  <a href={partner.website} rel="noopener noreferrer">
                    {partner.website}
                  </a>
                </dd>
              </>
            ) : null}
          </>
        }
      >
        {partner.description ? <p>{partner.description}</p> : null}
        {canEdit ? (
          <p>
            <Link to={`/admin/partenaires/${partner.slug}`}>Modifier l'organisation</Link>
          </p>
        ) : null}
      </OrganisationHeader>

      <OrganisationMembers members={members} canManage={canManage} />

      <section className="card stack" aria-labelledby="evenements">
        <h2 id="evenements">Événements à venir</h2>
        {events.length === 0 ? (
          <p>Aucun événement à venir organisé par ce partenaire.</p>
        ) : (
          <ul className="list-plain">
            {events.map((event) => (
              <li key={event.id}>
                <EventCard event={event} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="initiatives">
        <h2 id="initiatives">Initiatives</h2>
        {initiatives.length === 0 ? (
          <p>Aucune initiative partagée par ce partenaire pour l'instant.</p>
        ) : (
          <InitiativeCardGrid initiatives={initiatives} />
        )}
      </section>
    </div>
  );
}
