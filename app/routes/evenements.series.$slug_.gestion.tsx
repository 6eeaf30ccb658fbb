import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { CollectivityPicker, type Candidate } from "~/components/collectivity-picker";
import { SeriesFields } from "~/components/event-series-fields";
import { FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { resolveCollectivity } from "~/models/collectivities.server";
import { detachStage, inviteHost, updateSeries } from "~/models/event-series-writes.server";
import { canManageSeries, findSeries, listHosts, seriesStages } from "~/models/event-series.server";
import { requireUser } from "~/utils/auth.server";
import { formatRange } from "~/utils/dates";
import {
  DetachStageSchema,
  InviteHostSchema,
  SeriesEditSchema,
} from "~/utils/event-series-schemas";
import { consume, limitReached } from "~/utils/rate-limit.server";
import {
  formRateLimited,
  invariantResponse,
  refusedReply,
  refusedStatus,
  submitForm,
} from "~/utils/replies.server";

/** The series of the organiser's page: 404 when not visible, 403 for others who see it. */
async function requireManagedSeries(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const series = await findSeries({ slug: args.params.slug ?? "" }, user);
  invariantResponse(series, "Cycle d'événements introuvable.");
  invariantResponse(
    canManageSeries(user, series),
    "Seule l'organisation du cycle peut le gérer.",
    403,
  );
  return { user, series };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, series } = await requireManagedSeries(args);
  const [hosts, stages] = await Promise.all([listHosts(series.id), seriesStages(series.id, user)]);
  return {
    series: {
      slug: series.slug,
      title: series.title,
      description: series.description,
      status: series.status,
    },
    hosts,
    stages: stages.map((stage) => ({
      id: stage.id,
      slug: stage.slug,
      title: stage.title,
      collectivityName: stage.collectivityName,
      when: formatRange(stage.startsAt, stage.endsAt, stage.timeZone),
    })),
  };
}

type ActionData = {
  intent: string;
  result: SubmissionResult<string[]>;
  candidates?: Candidate[];
};

/** Each form is told apart by its `intent`; errors come back next to its fields. */
export async function action(args: ActionFunctionArgs) {
  const { user, series } = await requireManagedSeries(args);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number, candidates?: Candidate[]) =>
    json<ActionData>({ intent, result, candidates }, { status });
  const back = (notice: string) => `/evenements/series/${series.slug}/gestion?${notice}`;

  if (intent === "edit") {
    return submitForm(
      formData,
      SeriesEditSchema,
      async ({ intent: _intent, ...input }) => {
        await consume("event-write", user.id);
        return updateSeries(user, series.id, input);
      },
      { done: () => back("enregistre=1"), extra: { intent } },
    );
  }
  if (intent === "invite") {
    const submission = parseWithZod(formData, { schema: InviteHostSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const resolution = await resolveCollectivity(submission.value.collectivity);
    if (resolution.status !== "found") {
      const ambiguous = resolution.status === "ambiguous";
      return reply(
        submission.reply({
          fieldErrors: {
            collectivity: [
              ambiguous
                ? "Plusieurs collectivités correspondent : choisissez-la ci-dessous."
                : "Collectivité introuvable dans l'annuaire.",
            ],
          },
        }),
        400,
        ambiguous ? resolution.candidates : undefined,
      );
    }
    const limited = await limitReached("event-write", user.id);
    if (limited) return formRateLimited(limited, submission, { extra: { intent } });
    const invited = await inviteHost(user, series.id, resolution.code);
    if (!invited.ok) return reply(refusedReply(submission, invited), refusedStatus(invited.status));
    return redirect(back(`invitee=${encodeURIComponent(invited.value.name)}`));
  }
  return submitForm(
    formData,
    DetachStageSchema,
    ({ eventId }) => detachStage(user, series.id, eventId),
    { done: () => back("detachee=1"), extra: { intent } },
  );
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gestion de « ${data.series.title} » — Territoires Internet` : "Cycle" },
];

const hostStatusLabels = {
  invited: "invitation envoyée",
  accepted: "invitation acceptée",
  declined: "invitation déclinée",
} as const;

export default function ManageSeriesPage() {
  const { series, hosts, stages } = useLoaderData<typeof loader>();
  const data = useActionData<ActionData>();
  const [params] = useSearchParams();
  const resultFor = (intent: string) => (data?.intent === intent ? data.result : undefined);
  const [editForm, editFields] = useForm({
    id: "cycle",
    lastResult: resultFor("edit"),
    defaultValue: {
      title: series.title,
      description: series.description,
      status: series.status,
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SeriesEditSchema }),
  });
  const [inviteForm, inviteFields] = useForm({
    id: "invitation",
    lastResult: resultFor("invite"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteHostSchema }),
  });
  const detachErrors = data?.intent === "detach" ? data.result.error?.[""] : undefined;
  const invited = params.get("invitee");
  const notice = invited
    ? `${invited} est invitée : son ou sa référente peut accepter depuis la page du cycle.`
    : params.get("detachee")
      ? "L'étape est détachée du cycle ; l'événement reste en place, géré par ses organisateurs."
      : params.get("enregistre")
        ? "Le cycle est enregistré."
        : params.get("cycle")
          ? "Le cycle est créé. Invitez maintenant les collectivités hôtes."
          : null;
  return (
    <div className="container stack">
      <p>
        <Link to={`/evenements/series/${series.slug}`}>← Retour au cycle</Link>
      </p>
      <h1>Gestion de « {series.title} »</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}

      <section className="card stack" aria-labelledby="hotes">
        <h2 id="hotes">Collectivités hôtes</h2>
        {hosts.length === 0 ? (
          <p>Aucune collectivité invitée pour l'instant.</p>
        ) : (
          <ul>
            {hosts.map((host) => (
              <li key={host.collectivityCode}>
                {host.collectivityName} ({host.collectivityCode}) : {hostStatusLabels[host.status]}
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="stack" {...getFormProps(inviteForm)} noValidate>
          <FormErrors errors={inviteForm.errors} id={inviteForm.errorId} />
          <input type="hidden" name="intent" value="invite" />
          <CollectivityPicker
            name={inviteFields.collectivity.name}
            label="Collectivité à inviter"
            defaultValue={inviteFields.collectivity.initialValue}
            errors={inviteFields.collectivity.errors}
            candidates={data?.intent === "invite" ? data.candidates : undefined}
          />
          <div>
            <button type="submit" className="secondary">
              Inviter
            </button>
          </div>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="etapes">
        <h2 id="etapes">Étapes</h2>
        <FormErrors errors={detachErrors} />
        {stages.length === 0 ? (
          <p>Les collectivités hôtes créent leur étape une fois l'invitation acceptée.</p>
        ) : (
          <ul className="list-plain stack">
            {stages.map((stage) => (
              <li key={stage.id}>
                <Link to={`/evenements/${stage.slug}`}>{stage.title}</Link> —{" "}
                {stage.collectivityName}, {stage.when}
                <Form method="post" className="actions">
                  <input type="hidden" name="intent" value="detach" />
                  <input type="hidden" name="eventId" value={stage.id} />
                  <button type="submit" className="secondary">
                    Détacher « {stage.title} » du cycle
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="modifier">
        <h2 id="modifier">Présentation et publication</h2>
        <Form method="post" className="stack" {...getFormProps(editForm)} noValidate>
          <FormErrors errors={editForm.errors} id={editForm.errorId} />
          <input type="hidden" name="intent" value="edit" />
          <SeriesFields fields={editFields} />
          <div>
            <button type="submit">Enregistrer</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
