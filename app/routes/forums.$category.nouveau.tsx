import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Field, FormErrors, TextareaField } from "~/components/forms";
import { createTopic } from "~/models/forum-posts.server";
import { canWrite, getCategory } from "~/models/forums.server";
import { requirePublisher, requireUser } from "~/utils/auth.server";
import { TopicFormSchema } from "~/utils/forum-schemas";
import { keepActionHeaders } from "~/utils/headers";
import { randomId } from "~/utils/ids.server";
import { invariantResponse, submitForm } from "~/utils/replies.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const category = await getCategory(user, args.params.category ?? "");
  invariantResponse(category, "Catégorie introuvable.");
  invariantResponse(
    await canWrite(user),
    "Votre adhésion doit être validée par votre collectivité avant de publier.",
    403,
  );
  return { category, idempotencyKey: randomId() };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  return submitForm(
    await args.request.formData(),
    TopicFormSchema,
    (value) => createTopic(user, { ...value, categorySlug: args.params.category ?? "" }),
    { done: (created) => created.path, notFound: "Catégorie introuvable." },
  );
}

export const headers = keepActionHeaders;

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
      <Breadcrumb
        trail={[
          { to: "/forums", label: "Forums" },
          { to: `/forums/${category.slug}`, label: category.title },
        ]}
        current="Nouveau sujet"
      />
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
