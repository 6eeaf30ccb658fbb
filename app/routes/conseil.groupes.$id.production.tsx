import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { CheckboxGroup, Field, FormErrors, TextareaField } from "~/components/forms";
import { publishOutput } from "~/models/groups-outputs.server";
import { requirePublisher } from "~/utils/auth.server";
import { OutputSchema } from "~/utils/groups-schemas";
import { requireGroupRunner } from "~/utils/groups.server";
import { submitForm } from "~/utils/replies.server";
import { themes } from "~/utils/themes";

export async function loader(args: LoaderFunctionArgs) {
  const { group } = await requireGroupRunner(args);
  return { group: { id: group.id, title: group.title } };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const groupId = args.params.id ?? "";
  return submitForm(
    await args.request.formData(),
    OutputSchema,
    (value) => publishOutput(user, groupId, value),
    {
      done: (published) => `/initiatives/${published.slug}`,
      notFound: "Groupe de travail introuvable.",
    },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Publier une production — ${data.group.title}` : "Groupe de travail introuvable",
  },
];

export default function PublishOutputPage() {
  const { group } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "production",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OutputSchema }),
  });
  return (
    <div className="narrow stack">
      <Breadcrumb
        trail={[
          { to: "/conseil/groupes", label: "Groupes de travail" },
          { to: `/conseil/groupes/${group.id}`, label: group.title },
        ]}
        current="Publier une production"
      />
      <h1>Publier une production du groupe</h1>
      <p>
        Un guide, un modèle de délibération, un outil : la production rejoint la base des
        initiatives au nom de votre organisation, créditée aux membres du groupe et aux auteurs de
        sa page partagée, et se retrouve dans la recherche.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field label="Titre" meta={fields.title} />
        <TextareaField label="Résumé" meta={fields.summary} rows={3} />
        <TextareaField label="Contenu (markdown)" meta={fields.body} rows={12} />
        <CheckboxGroup
          legend="Thèmes (un à quatre)"
          meta={fields.themes}
          options={themes.map((t) => ({ value: t.slug, label: t.label }))}
          layout="checkbox-grid"
        />
        <div>
          <button type="submit">Publier la production</button>
        </div>
      </Form>
    </div>
  );
}
