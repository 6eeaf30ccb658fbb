import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { FormErrors, TextareaField } from "~/components/forms";
import { Notice } from "~/components/notice";
import { currentPage, savePage } from "~/models/groups-page.server";
import { getWorkingGroup, isGroupMember, mayRunGroup } from "~/models/groups.server";
import { requirePublisher, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { PageSchema } from "~/utils/groups-schemas";
import { invariantResponse, submitForm } from "~/utils/replies.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const group = await getWorkingGroup(args.params.id ?? "");
  invariantResponse(group, "Groupe de travail introuvable.");
  invariantResponse(
    mayRunGroup(user, group) || (await isGroupMember(group.id, user.id)),
    "Seuls les membres du groupe modifient sa page.",
    403,
  );
  const page = await currentPage(group.id);
  return {
    group: { id: group.id, title: group.title, status: group.status },
    page: page
      ? {
          version: page.version,
          body: page.body,
          authorName: page.authorName,
          createdAt: formatDateTime(page.createdAt),
        }
      : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const groupId = args.params.id ?? "";
  return submitForm(
    await args.request.formData(),
    PageSchema,
    (value) => savePage(user, groupId, value),
    {
      done: (saved) => `/conseil/groupes/${groupId}/historique/${saved.version}`,
      notFound: "Groupe de travail introuvable.",
    },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Page partagée — ${data.group.title}` : "Groupe de travail introuvable" },
];

export default function SharedPageEditor() {
  const { group, page } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "page-partagee",
    lastResult: data?.result,
    defaultValue: { body: page?.body ?? "", baseVersion: String(page?.version ?? 0) },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PageSchema }),
  });
  return (
    <div className="narrow stack">
      <Breadcrumb
        trail={[
          { to: "/conseil/groupes", label: "Groupes de travail" },
          { to: `/conseil/groupes/${group.id}`, label: group.title },
        ]}
        current="Page partagée"
      />
      <h1>Modifier la page partagée</h1>
      <p>
        Documents et décisions du groupe, en markdown. Chaque enregistrement crée une nouvelle
        version ; les précédentes restent dans l'
        <Link to={`/conseil/groupes/${group.id}/historique`}>historique</Link>.
      </p>
      {page ? (
        <p className="muted">
          Vous partez de la version {page.version} ({page.authorName}, {page.createdAt}).
        </p>
      ) : null}
      {group.status === "closed" ? (
        <Notice kind="info">Ce groupe est clos : sa page ne change plus.</Notice>
      ) : null}
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name={fields.baseVersion.name} value={String(page?.version ?? 0)} />
        <TextareaField label="Contenu de la page (markdown)" meta={fields.body} rows={20} />
        <div>
          <button type="submit">Enregistrer une nouvelle version</button>
        </div>
      </Form>
    </div>
  );
}
