import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { EventCard } from "~/components/event-card";
import { ErrorList, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { findUserIdByEmail } from "~/models/accounts.server";
import { placesLeft } from "~/models/event-places.server";
import { listMeetings, listOutputs } from "~/models/groups-outputs.server";
import { currentPage } from "~/models/groups-page.server";
import {
  closeGroup,
  getWorkingGroup,
  isGroupMember,
  joinGroup,
  listGroupMembers,
  mayRunGroup,
  removeFromGroup,
  setCoordinator,
} from "~/models/groups.server";
import type { Result } from "~/models/result.server";
import { hasRole, requireUser } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { GroupActionSchema, groupStatusLabels } from "~/utils/groups-schemas";
import { invariantResponse } from "~/utils/replies.server";

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const group = await getWorkingGroup(params.id ?? "");
  invariantResponse(group, "Groupe de travail introuvable.");
  const [members, meetings, page, outputs, isMember] = await Promise.all([
    listGroupMembers(group.id),
    listMeetings(group.id, viewer),
    currentPage(group.id),
    listOutputs(group.id),
    viewer ? isGroupMember(group.id, viewer.id) : false,
  ]);
  const runs = mayRunGroup(viewer, group);
  return {
    group: {
      id: group.id,
      title: group.title,
      mandate: group.mandate,
      status: group.status,
      topicId: group.topicId,
      topicTitle: group.topicTitle,
      coordinatorId: group.coordinatorId,
      coordinatorName: group.coordinatorName,
      summary: group.summary,
      closedAt: group.closedAt ? formatDate(group.closedAt) : null,
      // The category's address is shown to those who may read it, and to them only.
      forumPath: isMember || hasRole(viewer, "admin") ? `/forums/${group.forumCategorySlug}` : null,
    },
    members: members.map((m) => ({ ...m, joinedAt: formatDate(m.joinedAt) })),
    meetings: meetings.map((m) => ({ ...m, placesLeft: placesLeft(m) })),
    page: page
      ? {
          version: page.version,
          html: page.html,
          authorName: page.authorName,
          createdAt: formatDateTime(page.createdAt),
        }
      : null,
    outputs,
    done: new URL(request.url).searchParams.get("fait"),
    viewer: {
      signedIn: viewer !== null,
      isMember,
      runs,
      isAdmin: hasRole(viewer, "admin"),
      id: viewer?.id ?? null,
    },
  };
}

type Reply = {
  fieldErrors: Record<string, string[]>;
  formError?: string;
  intent: string;
  summary?: string;
};

function refused(
  intent: string,
  result: Extract<Result<unknown>, { ok: false }>,
  summary?: string,
) {
  invariantResponse(result.status !== 404, result.formError ?? "Introuvable.");
  return json<Reply>(
    { intent, fieldErrors: result.fieldErrors, formError: result.formError, summary },
    { status: result.status },
  );
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const groupId = args.params.id ?? "";
  const submission = parseWithZod(await args.request.formData(), { schema: GroupActionSchema });
  if (submission.status !== "success") {
    const reply = submission.reply();
    return json<Reply>(
      {
        intent: String(submission.payload.intent ?? ""),
        // The summary typed so far comes back in the form: a refused closing loses nothing.
        summary: String(submission.payload.summary ?? ""),
        fieldErrors: Object.fromEntries(
          Object.entries(reply.error ?? {}).map(([k, v]) => [k, v ?? []]),
        ),
      },
      { status: 400 },
    );
  }
  const value = submission.value;
  let result: Result<null>;
  switch (value.intent) {
    case "join":
      result = await joinGroup(user, groupId);
      break;
    case "leave":
      result = await removeFromGroup(user, groupId, user.id);
      break;
    case "remove":
      result = await removeFromGroup(user, groupId, value.userId);
      break;
    case "coordinator": {
      if (!hasRole(user, "admin")) {
        return refused(value.intent, {
          ok: false,
          status: 403,
          fieldErrors: {},
          formError: "Réservé à l'administration.",
        });
      }
      const userId = await findUserIdByEmail(value.coordinatorEmail);
      result = userId
        ? await setCoordinator(user, groupId, userId)
        : {
            ok: false,
            status: 400,
            fieldErrors: { coordinatorId: ["Aucun compte ne correspond à cette adresse."] },
          };
      break;
    }
    case "close":
      result = await closeGroup(user, groupId, value.summary);
      break;
  }
  if (!result.ok) {
    return refused(value.intent, result, value.intent === "close" ? value.summary : undefined);
  }
  return redirect(`/conseil/groupes/${groupId}?fait=${value.intent}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.group.title} — Groupes de travail` : "Groupe de travail introuvable" },
];

const doneMessages: Record<string, string> = {
  join: "Vous avez rejoint le groupe de travail.",
  leave: "Vous avez quitté le groupe de travail.",
  remove: "La personne a été retirée du groupe.",
  coordinator: "La coordination du groupe a été confiée.",
  close: "Le groupe de travail est clos.",
};

export default function WorkingGroupPage() {
  const { group, members, meetings, page, outputs, viewer, done } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errorsOf = (intent: string, field: string) =>
    data?.intent === intent ? data.fieldErrors[field] : undefined;
  const formErrorOf = (intent: string) =>
    data?.intent === intent && data.formError ? [data.formError] : undefined;
  const open = group.status === "open";
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[
          { to: "/conseil", label: "Conseil des partenaires" },
          { to: "/conseil/groupes", label: "Groupes de travail" },
        ]}
        current={group.title}
      />
      <h1>{group.title}</h1>
      {done && doneMessages[done] ? <Notice kind="success">{doneMessages[done]}</Notice> : null}
      <p className="muted">
        Groupe {groupStatusLabels[group.status]}
        {group.coordinatorName
          ? ` — coordination : ${group.coordinatorName}`
          : " — coordination à nommer"}
        {group.topicId && group.topicTitle ? (
          <>
            {" "}
            — sujet retenu : <Link to={`/conseil/sujets/${group.topicId}`}>{group.topicTitle}</Link>
          </>
        ) : null}
      </p>
      {group.summary ? (
        <section className="card stack" aria-labelledby="synthese">
          <h2 id="synthese">Synthèse (groupe clos le {group.closedAt})</h2>
          <p className="pre-line">{group.summary}</p>
        </section>
      ) : null}
      <section aria-labelledby="mandat" className="stack">
        <h2 id="mandat">Mandat</h2>
        <p className="pre-line">{group.mandate}</p>
      </section>

      <section aria-labelledby="participer" className="stack">
        <h2 id="participer">Participer</h2>
        <FormErrors errors={formErrorOf("join") ?? formErrorOf("leave")} />
        {!viewer.signedIn ? (
          <p>
            <Link to={`/connexion?redirectTo=/conseil/groupes/${group.id}`}>Connectez-vous</Link>{" "}
            pour rejoindre ce groupe.
          </p>
        ) : viewer.isMember ? (
          <>
            {group.forumPath ? (
              <p>
                <Link to={group.forumPath}>Les échanges du groupe (forum réservé aux membres)</Link>
              </p>
            ) : null}
            {viewer.id !== group.coordinatorId ? (
              <Form method="post">
                <button type="submit" name="intent" value="leave" className="button--secondary">
                  Quitter le groupe
                </button>
              </Form>
            ) : null}
          </>
        ) : open ? (
          <Form method="post">
            <button type="submit" name="intent" value="join">
              Rejoindre le groupe
            </button>
          </Form>
        ) : (
          <p>Ce groupe est clos : il n'accueille plus de membre.</p>
        )}
        {!viewer.isMember && group.forumPath ? (
          <p>
            <Link to={group.forumPath}>Les échanges du groupe (forum réservé aux membres)</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="membres" className="stack">
        <h2 id="membres">Membres ({members.length})</h2>
        <FormErrors errors={formErrorOf("remove")} />
        {members.length === 0 ? (
          <p>Personne n'a encore rejoint ce groupe.</p>
        ) : (
          <ul>
            {members.map((m) => (
              <li key={m.userId}>
                <Link to={`/membres/${m.userId}`}>{m.name}</Link>
                {m.jobTitle ? `, ${m.jobTitle}` : null}
                {m.organisationName ? ` (${m.organisationName})` : null}
                {m.userId === group.coordinatorId ? " — coordination" : null}
                {viewer.runs && m.userId !== group.coordinatorId ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" name="intent" value="remove" className="link-button">
                      Retirer {m.name} du groupe
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="reunions" className="stack">
        <h2 id="reunions">Réunions</h2>
        {viewer.runs && open ? (
          <p>
            <Link to={`/conseil/groupes/${group.id}/reunion`}>Planifier une réunion</Link>
          </p>
        ) : null}
        {meetings.length === 0 ? (
          <p>Aucune réunion planifiée.</p>
        ) : (
          <ul className="list-plain stack">
            {meetings.map((m) => (
              <li key={m.id}>
                <EventCard event={m} headingLevel={3} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="page-partagee" className="stack">
        <h2 id="page-partagee">Documents et décisions</h2>
        {page ? (
          <>
            <p className="muted">
              Version {page.version}, enregistrée par {page.authorName} le {page.createdAt}.{" "}
              <Link to={`/conseil/groupes/${group.id}/historique`}>Historique des versions</Link>
            </p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: page.html }} />
          </>
        ) : (
          <p>La page partagée est encore vide.</p>
        )}
        {(viewer.isMember || viewer.runs) && open ? (
          <p>
            <Link to={`/conseil/groupes/${group.id}/page`}>Modifier la page partagée</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="productions" className="stack">
        <h2 id="productions">Productions publiées</h2>
        {outputs.length === 0 ? (
          <p>Le groupe n'a encore rien publié.</p>
        ) : (
          <ul>
            {outputs.map((o) => (
              <li key={o.id}>
                <Link to={`/initiatives/${o.slug}`}>{o.title}</Link> — {o.summary}
              </li>
            ))}
          </ul>
        )}
        {viewer.runs ? (
          <p>
            <Link to={`/conseil/groupes/${group.id}/production`}>Publier une production</Link>
          </p>
        ) : null}
      </section>

      {viewer.isAdmin ? (
        <section aria-labelledby="coordination" className="card stack">
          <h2 id="coordination">Coordination</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="coordinator" />
            <div className="field">
              <label htmlFor="coordinatorEmail">
                Adresse électronique de la personne qui coordonne
              </label>
              <input
                id="coordinatorEmail"
                name="coordinatorEmail"
                type="email"
                autoComplete="off"
                aria-invalid={
                  errorsOf("coordinator", "coordinatorEmail") ||
                  errorsOf("coordinator", "coordinatorId")
                    ? true
                    : undefined
                }
                aria-describedby="coordinatorEmail-error"
              />
              <ErrorList
                id="coordinatorEmail-error"
                errors={
                  errorsOf("coordinator", "coordinatorEmail") ??
                  errorsOf("coordinator", "coordinatorId")
                }
              />
            </div>
            <div>
              <button type="submit">Confier la coordination</button>
            </div>
          </Form>
        </section>
      ) : null}

      {viewer.runs && open ? (
        <section aria-labelledby="clore" className="card stack">
          <h2 id="clore">Clore le groupe</h2>
          <p>
            Après la clôture, le groupe n'accueille plus de membre et son forum passe en lecture
            seule. La synthèse s'affiche en tête de cette page.
          </p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="close" />
            <FormErrors errors={formErrorOf("close")} />
            <div className="field">
              <label htmlFor="summary">Synthèse des travaux</label>
              <textarea
                id="summary"
                name="summary"
                rows={6}
                defaultValue={data?.summary ?? ""}
                aria-invalid={errorsOf("close", "summary") ? true : undefined}
                aria-describedby="summary-error"
              />
              <ErrorList id="summary-error" errors={errorsOf("close", "summary")} />
            </div>
            <div>
              <button type="submit">Clore le groupe</button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
