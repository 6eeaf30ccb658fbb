import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Field, FormErrors, TextareaField } from "~/components/forms";
import { canWrite, createTopic, getCategory } from "~/models/forums.server";
import { requireUser } from "~/utils/auth.server";
import { TopicFormSchema } from "~/utils/forum-schemas";
import { randomId } from "~/utils/ids.server";
import { RateLimitedError, retryAfterMessage } from "~/utils/rate-limit.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const category = await getCategory(user, args.params.category ?? "");
  if (!category) throw new Response("Catégorie introuvable.", { status: 404 });
  if (!(await canWrite(user))) {
    throw new Response(
      "Votre adhésion doit être validée par votre collectivité avant de publier.",
      { status: 403 },
    );
  }
  return { category, idempotencyKey: randomId() };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const submission = parseWithZod(await args.request.formData(), { schema: TopicFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  try {
    const created = await createTopic(user, {
      ...submission.value,
      categorySlug: args.params.category ?? "",
    });
    if (!created.ok) {
      if (created.status === 404) throw new Response("Catégorie introuvable.", { status: 404 });
      return json(
        {
          result: submission.reply({
            fieldErrors: created.fieldErrors,
            formErrors: created.formError ? [created.formError] : [],
          }),
        },
        { status: created.status },
      );
    }
    return redirect(created.value.path);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return json(
      { result: submission.reply({ formErrors: [retryAfterMessage(error.retryAfterSeconds)] }) },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
    );
  }
}

export const meta: MetaFunction = () => [
  { title: "Ouvrir un sujet — Forums — Territoires Internet" },
];

export default function NewTopicPage() {
  const { category, idempotencyKey } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "nouveau-sujet",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TopicFormSchema }),
  });
  return (
    <div className="container narrow stack">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/forums">Forums</Link> ›{" "}
        <Link to={`/forums/${category.slug}`}>{category.title}</Link> ›{" "}
        <span aria-current="page">Nouveau sujet</span>
      </nav>
      <h1>Ouvrir un sujet</h1>
      <Form
        method="post"
        className="card stack"
        {...getFormProps(form)}
        noValidate
        data-brouillon="sujet"
      >
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <Field
          label="Titre"
          meta={fields.title}
          hint="Une question ou un sujet précis, en une phrase."
        />
        <TextareaField
          label="Message"
          meta={fields.body}
          rows={10}
          hint="Mise en forme Markdown : **gras**, *italique*, listes, liens. Mentionnez un membre avec @prénom-nom."
        />
        <div className="actions">
          <button type="submit">Publier le sujet</button>
          <Link to={`/forums/${category.slug}`}>Annuler</Link>
        </div>
      </Form>
    </div>
  );
}
