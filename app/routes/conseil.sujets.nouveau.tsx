import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { CheckboxGroup, Field, FormErrors, TextareaField } from "~/components/forms";
import { listCalls, proposeTopic } from "~/models/council-topics.server";
import { requirePublisher, requireUser } from "~/utils/auth.server";
import { ProposeTopicSchema } from "~/utils/council-schemas";
import { invariantResponse, submitForm } from "~/utils/replies.server";
import { themes } from "~/utils/themes";

async function openCallOf(request: Request) {
  const wanted = new URL(request.url).searchParams.get("appel");
  const calls = await listCalls();
  return calls.find((c) => c.open && (!wanted || c.id === wanted)) ?? null;
}

export async function loader(args: LoaderFunctionArgs) {
  requireUser(args);
  const call = await openCallOf(args.request);
  invariantResponse(call, "Aucun appel à sujets n'est ouvert.");
  return { call: { id: call.id, title: call.title } };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const call = await openCallOf(args.request);
  invariantResponse(call, "Aucun appel à sujets n'est ouvert.");
  const origin = new URL(args.request.url).origin;
  return submitForm(
    await args.request.formData(),
    ProposeTopicSchema,
    (value) => proposeTopic(user, call.id, value, (id) => `${origin}/conseil/sujets/${id}`),
    { done: (proposed) => `/conseil/sujets/${proposed.id}` },
  );
}

export const meta: MetaFunction = () => [
  { title: "Proposer un sujet au conseil — Territoires Internet" },
];

export default function ProposeTopicPage() {
  const { call } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "proposer-sujet",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProposeTopicSchema }),
  });
  return (
    <div className="narrow stack">
      <h1>Proposer un sujet</h1>
      <p>{call.title}. Chaque sujet proposé ouvre un fil de discussion dans les forums.</p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field label="Titre du sujet" meta={fields.title} />
        <TextareaField
          label="Pourquoi ce sujet ?"
          meta={fields.why}
          hint="Le constat, les besoins des territoires, ce qui manque aujourd'hui."
        />
        <TextareaField
          label="Résultat attendu"
          meta={fields.expectedOutcome}
          rows={4}
          hint="Un guide, un modèle de délibération, un outil partagé…"
        />
        <CheckboxGroup
          legend="Thèmes (un à quatre)"
          meta={fields.themes}
          options={themes.map((t) => ({ value: t.slug, label: t.label }))}
          layout="checkbox-grid"
        />
        <button type="submit">Proposer le sujet</button>
      </Form>
    </div>
  );
}
