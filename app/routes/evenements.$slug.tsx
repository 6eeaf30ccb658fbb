import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";

import { EventFacts } from "~/components/event-facts";
import { EventProgramme } from "~/components/event-programme";
import { RegistrationPanel } from "~/components/event-registration-panel";
import { ThemeChip } from "~/components/initiative-card";
import { MemberChip } from "~/components/member-chip";
import { PageNotices } from "~/components/page-notices";
import { myRegistration, placesLeft } from "~/models/event-places.server";
import {
  cancelRegistration,
  publicAttendees,
  register,
  setShowPublicly,
} from "~/models/event-registrations.server";
import { seriesOfStage } from "~/models/event-series.server";
import {
  getEvent,
  listOrganisers,
  presentedInitiatives,
  registrationClosesAt,
} from "~/models/events.server";
import { requireUser } from "~/utils/auth.server";
import { useLivePlaces } from "~/utils/event-places";
import { renderMarkdown } from "~/utils/markdown.server";
import { cachePage, pageTags, secondsUntil } from "~/utils/page-cache.server";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited, invariantResponse } from "~/utils/replies.server";
import { z } from "~/utils/validation";

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("register"), showPublicly: z.literal("on").optional() }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("visibility"), showPublicly: z.literal("on").optional() }),
]);

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const event = await getEvent({ slug: params.slug ?? "" }, viewer);
  invariantResponse(event, "Événement introuvable.");
  const [attendees, organisers, initiatives, series] = await Promise.all([
    publicAttendees(event.id),
    listOrganisers(event.id),
    presentedInitiatives(event.initiativeIds),
    seriesOfStage(event.id, viewer),
  ]);
  const closesAt = registrationClosesAt(event);
  cachePage(context, {
    tags: [
      pageTags.event(event.id),
      // The initiatives it presents are named by slug: one published later joins the page.
      pageTags.initiatives,
      ...initiatives.map((initiative) => pageTags.initiative(initiative.id)),
      ...attendees.map((person) => pageTags.member(person.userId)),
      ...organisers.map((person) => pageTags.member(person.id)),
    ],
    // The registration form closes by itself.
    maxAgeSeconds: secondsUntil([closesAt]),
  });
  return {
    event: {
      ...event,
      descriptionHtml: renderMarkdown(event.description),
      placesLeft: placesLeft(event),
      closesAt,
      open: event.status === "published" && Date.now() < closesAt.getTime(),
    },
    attendees,
    initiatives,
    series,
    organisers: organisers.map(({ name, jobTitle, profileKind }) => ({
      name,
      jobTitle,
      profileKind,
    })),
    signedIn: Boolean(viewer),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const slug = args.params.slug ?? "";
  const event = await getEvent({ slug }, user);
  invariantResponse(event, "Événement introuvable.");
  const submission = parseWithZod(await args.request.formData(), { schema: IntentSchema });
  const refuse = (message: string, status: number) =>
    json({ result: submission.reply({ formErrors: [message] }) }, { status });
  if (submission.status !== "success") return refuse("Action invalide.", 400);
  const input = submission.value;
  if (input.intent === "register") {
    const limited = await limitReached("event-registration", user.id);
    if (limited) return formRateLimited(limited, submission);
    const result = await register(user, event.id, { showPublicly: input.showPublicly === "on" });
    // A double submit finds the first registration: same page, nothing created twice.
    const existing = result.ok ? null : await myRegistration(event.id, user.id);
    if (!result.ok && !existing) {
      return refuse(result.formError ?? "Inscription impossible.", result.status);
    }
    const status = result.ok ? result.value.status : existing?.status;
    return redirect(
      `/evenements/${slug}?inscription=${status === "confirmed" ? "confirmee" : "attente"}`,
    );
  }
  if (input.intent === "cancel") {
    const result = await cancelRegistration(user, event.id);
    if (!result.ok && (await myRegistration(event.id, user.id))) {
      return refuse(result.formError ?? "Annulation impossible.", result.status);
    }
    return redirect(`/evenements/${slug}?inscription=annulee`);
  }
  await setShowPublicly(user.id, event.id, input.showPublicly === "on");
  return redirect(`/evenements/${slug}?inscription=visibilite`);
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.event.title} — Événements — Territoires Internet`
      : "Événement introuvable",
  },
];

const notices: Record<string, string> = {
  confirmee: "Votre inscription est confirmée.",
  attente:
    "L'événement est complet : vous êtes sur la liste d'attente. Vous serez notifié·e si une place se libère.",
  annulee: "Votre inscription est annulée.",
  visibilite: "Votre choix d'apparaître dans la liste publique est enregistré.",
  cree: "L'événement est enregistré.",
  modifie: "Les modifications sont enregistrées.",
};

export default function EventPage() {
  const { event, attendees, organisers, initiatives, series, signedIn } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = notices[params.get("inscription") ?? ""];
  const { places, live } = useLivePlaces(
    {
      eventId: event.id,
      placesLeft: event.placesLeft,
      confirmed: event.confirmed,
      waitlisted: event.waitlisted,
    },
    signedIn && event.status === "published",
  );
  return (
    <div className="container stack">
      <p>
        <Link to="/evenements">← Tous les événements</Link>
      </p>
      <PageNotices
        success={notice}
        errors={actionData?.result.error?.[""]}
        cancelled={
          event.status === "cancelled"
            ? "Cet événement est annulé. Les inscriptions sont fermées."
            : null
        }
        draft={
          event.status === "draft" ? "Brouillon : seuls les organisateurs voient cette page." : null
        }
      />
      <h1>{event.title}</h1>
      {series ? (
        <p>
          Étape de la série «&nbsp;
          <Link to={`/evenements/series/${series.slug}`}>{series.title}</Link>&nbsp;»
        </p>
      ) : null}
      <div className="actions">
        {event.themes.map((slug) => (
          <ThemeChip key={slug} slug={slug} />
        ))}
      </div>
      <EventFacts event={event} places={places} live={live} />
      <RegistrationPanel
        slug={event.slug}
        status={event.status}
        open={event.open}
        signedIn={signedIn}
        registration={event.registration}
        placesLeft={places.placesLeft}
        busy={navigation.state === "submitting"}
      />

      {event.descriptionHtml ? (
        <section className="card prose" aria-labelledby="description">
          <h2 id="description">Présentation</h2>
          <div dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        </section>
      ) : null}

      <EventProgramme programme={event.programme} />

      {initiatives.length > 0 ? (
        <section className="card" aria-labelledby="initiatives">
          <h2 id="initiatives">Initiatives présentées</h2>
          <ul>
            {initiatives.map((initiative) => (
              <li key={initiative.id}>
                <Link to={`/initiatives/${initiative.slug}`}>{initiative.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="participants">
        <h2 id="participants">Participants</h2>
        <p>
          {event.confirmed} personne{event.confirmed > 1 ? "s" : ""} inscrite
          {event.confirmed > 1 ? "s" : ""}
          {attendees.length > 0 ? ", dont celles qui ont choisi d'apparaître ici :" : "."}
        </p>
        {attendees.length > 0 ? (
          <ul className="list-plain">
            {attendees.map((a) => (
              <li key={a.userId}>
                <MemberChip name={a.name} jobTitle={a.jobTitle} profileKind={a.profileKind} />
              </li>
            ))}
          </ul>
        ) : null}
        <h3>Organisation</h3>
        <ul className="list-plain">
          {organisers.map((o, index) => (
            <li key={index}>
              <MemberChip name={o.name} jobTitle={o.jobTitle} profileKind={o.profileKind} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
