import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { Field, FormErrors, SelectField } from "~/components/forms";
import { listCalls, openCall } from "~/models/council-topics.server";
import { createVote, listVotes } from "~/models/council-votes.server";
import { requireRole } from "~/utils/auth.server";
import { CallSchema, DEFAULT_MAX_CHOICES, VoteSchema } from "~/utils/council-schemas";
import { formatDateTime } from "~/utils/dates";
import { submitForm } from "~/utils/replies.server";

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const [calls, votes] = await Promise.all([listCalls(), listVotes()]);
  return {
    calls: calls.map((c) => ({
      ...c,
      opensAt: formatDateTime(c.opensAt),
      closesAt: formatDateTime(c.closesAt),
    })),
    votes: votes.map((v) => ({ ...v, closesAt: formatDateTime(v.closesAt) })),
  };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const formData = await args.request.formData();
  const schema = formData.get("intent") === "open-vote" ? VoteSchema : CallSchema;
  return submitForm(
    formData,
    schema,
    (value) => (value.intent === "open-vote" ? createVote(value) : openCall(value)),
    {
      done: (created, value) =>
        value.intent === "open-vote" ? `/conseil/votes/${created.id}` : "/conseil/admin",
    },
  );
}

export const meta: MetaFunction = () => [
  { title: "Administration du conseil — Territoires Internet" },
];

export default function CouncilAdminPage() {
  const { calls, votes } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [callForm, callFields] = useForm({
    id: "open-call",
    lastResult: data?.result.initialValue?.intent === "open-call" ? data.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CallSchema }),
  });
  const [voteForm, voteFields] = useForm({
    id: "open-vote",
    lastResult: data?.result.initialValue?.intent === "open-vote" ? data.result : undefined,
    defaultValue: { maxChoices: String(DEFAULT_MAX_CHOICES) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: VoteSchema }),
  });
  return (
    <div className="container stack">
      <AdminNav />
      <h1>Administration du conseil des partenaires</h1>
      <p className="muted">Toutes les heures sont celles de Paris.</p>
      <section className="stack" aria-labelledby="appels">
        <h2 id="appels">Appels à sujets</h2>
        <ul>
          {calls.map((c) => (
            <li key={c.id}>
              {c.title} ({c.year}) : du {c.opensAt} au {c.closesAt}
              {c.open ? " — ouvert" : ""}
            </li>
          ))}
        </ul>
        <Form method="post" className="card stack" {...getFormProps(callForm)} noValidate>
          <h3>Ouvrir un appel à sujets</h3>
          <input type="hidden" name="intent" value="open-call" />
          <FormErrors errors={callForm.errors} id={callForm.errorId} />
          <Field label="Année" meta={callFields.year} type="number" />
          <Field label="Titre" meta={callFields.title} />
          <DateTimeField label="Ouverture" meta={callFields.opensAt} />
          <DateTimeField label="Clôture des propositions" meta={callFields.closesAt} />
          <button type="submit">Ouvrir l'appel</button>
        </Form>
      </section>
      <section className="stack" aria-labelledby="votes">
        <h2 id="votes">Votes</h2>
        <ul>
          {votes.map((v) => (
            <li key={v.id}>
              <Link to={`/conseil/votes/${v.id}`}>{v.title}</Link> — clôture le {v.closesAt}
            </li>
          ))}
        </ul>
        {calls.length > 0 ? (
          <Form method="post" className="card stack" {...getFormProps(voteForm)} noValidate>
            <h3>Ouvrir un vote</h3>
            <p className="muted">
              Le corps électoral est arrêté à la création : les organisations ayant alors au moins
              un membre validé.
            </p>
            <input type="hidden" name="intent" value="open-vote" />
            <FormErrors errors={voteForm.errors} id={voteForm.errorId} />
            <SelectField label="Appel à sujets" meta={voteFields.callId}>
              {calls.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </SelectField>
            <Field label="Titre du vote" meta={voteFields.title} />
            <DateTimeField label="Ouverture du vote" meta={voteFields.opensAt} />
            <DateTimeField label="Clôture du vote" meta={voteFields.closesAt} />
            <Field
              label="Sujets par bulletin (au plus)"
              meta={voteFields.maxChoices}
              type="number"
            />
            <button type="submit">Ouvrir le vote</button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

function DateTimeField({
  label,
  meta,
}: {
  label: string;
  meta: Parameters<typeof Field>[0]["meta"];
}) {
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input
        id={meta.id}
        name={meta.name}
        type="datetime-local"
        defaultValue={typeof meta.initialValue === "string" ? meta.initialValue : undefined}
        aria-invalid={meta.errors ? true : undefined}
        aria-describedby={meta.errors ? meta.errorId : undefined}
      />
      {meta.errors ? (
        <div id={meta.errorId}>
          {meta.errors.map((e) => (
            <p key={e} className="field-error">
              {e}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
