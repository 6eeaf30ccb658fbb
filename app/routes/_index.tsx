import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { EventCard } from "~/components/event-card";
import { InitiativeCard } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import { getProfile } from "~/models/accounts.server";
import { networkFigures } from "~/models/collectivities.server";
import { placesLeft } from "~/models/event-places.server";
import { listEvents, myEvents } from "~/models/events.server";
import { listPublished } from "~/models/initiatives.server";
import { unreadNotificationCount } from "~/models/notifications.server";
import { cachePage, pageTags, secondsUntil } from "~/utils/page-cache.server";
import { formatNumber } from "~/utils/text";

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth.user;
  const [figures, profile, latest, upcoming, mine, unread] = await Promise.all([
    networkFigures(),
    user ? getProfile(user.id) : Promise.resolve(null),
    listPublished({ page: 1, pageSize: 3 }),
    listEvents({ period: "upcoming", pageSize: 3 }, user),
    user ? myEvents(user.id) : Promise.resolve([]),
    user ? unreadNotificationCount(user.id, context.auth.unreadNotifications) : Promise.resolve(0),
  ]);
  cachePage(context, {
    tags: [
      pageTags.network,
      pageTags.initiatives,
      pageTags.events,
      ...latest.items.map((initiative) => pageTags.initiative(initiative.id)),
      ...upcoming.items.map((event) => pageTags.event(event.id)),
    ],
    maxAgeSeconds: secondsUntil([upcoming.changesAt]),
  });
  return {
    figures,
    profile,
    latest: latest.items.map((i) => ({
      ...i,
      year: i.startYear,
      collectivity: { code: i.collectivityCode, name: i.collectivityName },
    })),
    upcoming: upcoming.items.map((e) => ({ ...e, placesLeft: placesLeft(e) })),
    myUpcoming: mine.filter((e) => new Date(e.endsAt) > new Date()).slice(0, 3),
    unread,
  };
}

const reasons = [
  {
    title: "Apprendre des autres",
    text: "Un lieu de mutualisation où retrouver les bonnes pratiques numériques des collectivités de toute taille.",
  },
  {
    title: "Valoriser les agents",
    text: "Chaque initiative cite celles et ceux qui l'ont menée, et qui contacter pour la reproduire.",
  },
  {
    title: "Échanger entre pairs",
    text: "Des forums vivants entre élu·es, agent·es et partenaires, d'un bout à l'autre du territoire.",
  },
  {
    title: "Se retrouver près de chez soi",
    text: "Des événements thématiques locaux, dont les étapes des assises territoriales.",
  },
  {
    title: "S'évaluer et progresser",
    text: "Le label Territoires, Villes et Villages Internet : un questionnaire qui sert aussi d'autodiagnostic, des niveaux de 1 à 5 @.",
  },
  {
    title: "Se trouver",
    text: "L'annuaire de toutes les collectivités françaises, avec leurs membres, initiatives et palmarès.",
  },
];

export default function Index() {
  const { figures, profile, latest, upcoming, myUpcoming, unread } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="container">
      {params.get("compte-supprime") ? (
        <Notice kind="info">Votre compte a été supprimé. Merci d'avoir participé au réseau.</Notice>
      ) : null}
      <section className="hero" aria-labelledby="titre">
        <h1 id="titre">
          {profile
            ? `Bonjour ${profile.name}`
            : "Le réseau des collectivités qui font le numérique"}
        </h1>
        {profile ? (
          <p>
            {profile.membership?.status === "pending"
              ? `Votre adhésion à ${profile.membership.collectivityName} attend la validation de son ou sa référent·e. Vous pouvez déjà tout consulter.`
              : profile.membership
                ? `Retrouvez l'actualité du réseau et de ${profile.membership.collectivityName}.`
                : "Retrouvez l'actualité du réseau."}
          </p>
        ) : (
          <>
            <p>
              Territoires Internet réunit les communes, intercommunalités et départements engagés
              dans le label « Territoires, Villes et Villages Internet » pour partager ce qui
              marche.
            </p>
            <p className="actions">
              <Link className="button" to="/inscription">
                Rejoindre le réseau
              </Link>
              <Link className="button button--secondary" to="/annuaire">
                Trouver une collectivité
              </Link>
            </p>
          </>
        )}
      </section>
      {profile ? (
        <section aria-labelledby="pour-vous" className="stack">
          <h2 id="pour-vous">Pour vous</h2>
          <ul className="figures">
            <li>
              <strong>{unread}</strong>
              <Link to="/notifications">
                notification{unread > 1 ? "s" : ""} non lue{unread > 1 ? "s" : ""}
              </Link>
            </li>
            <li>
              <strong>{myUpcoming.length}</strong>
              <Link to="/evenements/mes-evenements">
                inscription{myUpcoming.length > 1 ? "s" : ""} à venir
              </Link>
            </li>
          </ul>
          {myUpcoming.length > 0 ? (
            <ul className="list-plain">
              {myUpcoming.map((event) => (
                <li key={event.slug}>
                  <Link to={`/evenements/${event.slug}`}>{event.title}</Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="nouveautes">
        <h2 id="nouveautes">Dernières initiatives partagées</h2>
        {latest.length === 0 ? (
          <p>
            Aucune initiative publiée pour l'instant :{" "}
            <Link to="/initiatives/nouvelle">partagez la vôtre</Link>.
          </p>
        ) : (
          <ul className="grid list-plain">
            {latest.map((initiative) => (
              <li key={initiative.slug}>
                <InitiativeCard initiative={initiative} />
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/initiatives">Toutes les initiatives</Link>
        </p>
      </section>
      <section aria-labelledby="agenda">
        <h2 id="agenda">Prochains événements</h2>
        {upcoming.length === 0 ? (
          <p>
            Aucun événement annoncé. Organisateur ou organisatrice ?{" "}
            <Link to="/evenements/nouveau">Publiez le vôtre</Link>.
          </p>
        ) : (
          <ul className="grid list-plain">
            {upcoming.map((event) => (
              <li key={event.slug}>
                <EventCard event={event} />
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/evenements">Tout l'agenda</Link>
        </p>
      </section>
      <section aria-labelledby="chiffres">
        <h2 id="chiffres">Le réseau en chiffres</h2>
        <ul className="figures">
          <li>
            <strong>{formatNumber(figures.members)}</strong> membres
          </li>
          <li>
            <strong>{formatNumber(figures.memberCollectivities)}</strong> collectivités membres
          </li>
          <li>
            <strong>{formatNumber(figures.directory)}</strong> collectivités dans l'annuaire
          </li>
        </ul>
      </section>
      <section aria-labelledby="pourquoi">
        <h2 id="pourquoi">Ce que le réseau vous apporte</h2>
        <ul className="grid list-plain">
          {reasons.map((reason) => (
            <li key={reason.title} className="card">
              <h3>{reason.title}</h3>
              <p>{reason.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
