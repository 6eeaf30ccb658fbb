import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { NeighbourInvitations, SentInvitations } from "~/components/collectivity-invitations";
import { EventCard } from "~/components/event-card";
import { InitiativeCardGrid, InitiativeLinks } from "~/components/initiative-card";
import { LabelHistory } from "~/components/label-level";
import { MemberChip } from "~/components/member-chip";
import { decideMembership, getCollectivity, listMembers } from "~/models/collectivities.server";
import { placesLeft } from "~/models/event-places.server";
import { listEvents } from "~/models/events.server";
import { listCollectivityInitiatives } from "~/models/initiatives.server";
import { invitationsOf, neighbouringCommunes } from "~/models/invitations.server";
import { labelHistory } from "~/models/label-results.server";
import { requireUser } from "~/utils/auth.server";
import { kindLabels } from "~/utils/labels";
import { formatNumber } from "~/utils/text";
import { z } from "~/utils/validation";

const DecisionSchema = z.object({
  intent: z.enum(["approve", "remove", "make-referent"]),
  userId: z.string().min(1).max(64),
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const collectivity = await getCollectivity(params.code ?? "");
  if (!collectivity) throw new Response("Collectivité introuvable.", { status: 404 });
  const viewer = context.auth.user;
  const [{ members, canManage }, initiatives, upcoming, past, label, neighbours, sent] =
    await Promise.all([
      listMembers(collectivity.code, context.auth.user),
      listCollectivityInitiatives(collectivity.code, context.auth.user),
      listEvents(
        { collectivityCode: collectivity.code, period: "upcoming", pageSize: 10 },
        context.auth.user,
      ),
      listEvents(
        { collectivityCode: collectivity.code, period: "past", pageSize: 5 },
        context.auth.user,
      ),
      labelHistory(collectivity.code),
      neighbouringCommunes(collectivity),
      viewer ? invitationsOf(viewer, collectivity.code) : null,
    ]);
  const events = {
    upcoming: upcoming.items.map((e) => ({ ...e, placesLeft: placesLeft(e) })),
    past: past.items.map((e) => ({ ...e, placesLeft: placesLeft(e) })),
  };
  const invitations = { neighbours, sent };
  return { collectivity, members, canManage, initiatives, events, label, invitations };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const parsed = DecisionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return json({ message: "Action invalide." }, { status: 400 });
  const done = await decideMembership(
    user,
    args.params.code ?? "",
    parsed.data.userId,
    parsed.data.intent,
  );
  // Not allowed and not found get the same answer, so ids cannot be probed.
  if (!done) throw new Response("Membre introuvable.", { status: 404 });
  const messages = {
    approve: "Adhésion validée.",
    remove: "Membre retiré : ses contributions restent à son nom.",
    "make-referent": "Le rôle de référent·e a été transmis.",
  };
  return json({ message: messages[parsed.data.intent] });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.collectivity.name} — Territoires Internet` : "Collectivité introuvable" },
];

export default function CollectivityPage() {
  const { collectivity, members, canManage, initiatives, events, label, invitations } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const approved = members.filter((m) => m.status === "approved");
  const pending = members.filter((m) => m.status === "pending");
  const former = members.filter((m) => m.status === "former");
  return (
    <div className="container stack">
      <p>
        <Link to="/annuaire">← Annuaire</Link>
      </p>
      <h1>{collectivity.name}</h1>
      {result?.message ? (
        <div className="alert alert--success" role="status">
          {result.message}
        </div>
      ) : null}
      <section className="card" aria-labelledby="identite">
        <h2 id="identite">Identité</h2>
        <dl className="facts">
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
        </dl>
      </section>

      <LabelHistory code={collectivity.code} history={label} />

      {approved.length === 0 ? (
        <p className="alert alert--info">
          {collectivity.name} n'est pas encore membre du réseau.{" "}
          <Link to={`/invitations?vers=${collectivity.code}`}>
            Inviter une personne de {collectivity.name}
          </Link>
        </p>
      ) : null}
      {invitations.sent ? <SentInvitations invitations={invitations.sent} /> : null}
      {invitations.neighbours.length > 0 || approved.length > 0 ? (
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

      <section className="card" aria-labelledby="membres">
        <h2 id="membres">Membres du réseau</h2>
        {approved.length === 0 ? (
          <p>
            Aucun membre pour l'instant. Vous travaillez pour cette collectivité ?{" "}
            <Link to="/inscription">Rejoignez le réseau</Link>.
          </p>
        ) : (
          <ul className="list-plain">
            {approved.map((m) => (
              <li key={m.userId} className="actions">
                <MemberChip name={m.name} jobTitle={m.jobTitle} profileKind={m.profileKind} />
                {m.isReferent ? <span className="badge">référent·e</span> : null}
                {canManage ? (
                  <>
                    {!m.isReferent ? (
                      <DecisionButton
                        intent="make-referent"
                        userId={m.userId}
                        label="Nommer référent·e"
                        name={m.name}
                      />
                    ) : null}
                    <DecisionButton
                      intent="remove"
                      userId={m.userId}
                      label="Retirer"
                      name={m.name}
                    />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canManage && pending.length > 0 ? (
          <>
            <h3>Demandes d'adhésion en attente</h3>
            <ul className="list-plain">
              {pending.map((m) => (
                <li key={m.userId} className="actions">
                  <MemberChip name={m.name} jobTitle={m.jobTitle} profileKind={m.profileKind} />
                  <DecisionButton
                    intent="approve"
                    userId={m.userId}
                    label="Valider"
                    name={m.name}
                  />
                  <DecisionButton intent="remove" userId={m.userId} label="Refuser" name={m.name} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {former.length > 0 ? (
          <>
            <h3>Ancien·nes membres</h3>
            <ul className="list-plain">
              {former.map((m) => (
                <li key={m.userId}>
                  <MemberChip
                    name={m.name}
                    jobTitle={m.jobTitle}
                    profileKind={m.profileKind}
                    former
                  />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

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

function DecisionButton({
  intent,
  userId,
  label,
  name,
}: {
  intent: string;
  userId: string;
  label: string;
  name: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      <button
        type="submit"
        className={intent === "remove" ? "secondary button--small" : "button--small"}
      >
        {label} <span className="visually-hidden">{name}</span>
      </button>
    </Form>
  );
}
