import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Field, FormErrors } from "~/components/forms";
import { CampaignFields } from "~/components/label-fields";
import { Notice } from "~/components/notice";
import { campaignStatus, createCampaign, listCampaigns } from "~/models/label-campaigns.server";
import {
  importDefaultQuestionnaire,
  listQuestionnaires,
} from "~/models/label-questionnaires.server";
import styles from "~/styles/label.css";
import { requireRole } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { CampaignSchema } from "~/utils/label-schemas";
import { submitForm } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const statusLabels = {
  upcoming: "à venir",
  open: "ouverte",
  evaluation: "jury en cours",
  published: "palmarès publié",
};

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const [campaigns, questionnaires] = await Promise.all([listCampaigns(), listQuestionnaires()]);
  return {
    campaigns: campaigns.map((c) => ({
      year: c.year,
      title: c.title,
      status: statusLabels[campaignStatus(c)],
      submissionDeadline: formatDateTime(c.submissionDeadline),
      publishedAt: formatDateTime(c.publishedAt),
    })),
    questionnaires: questionnaires.map((q) => ({ ...q, createdAt: formatDate(q.createdAt) })),
    nextYear: (campaigns[0]?.year ?? new Date().getFullYear()) + 1,
  };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const formData = await args.request.formData();
  if (formData.get("intent") === "reload") {
    const loaded = await importDefaultQuestionnaire();
    return redirect(
      `/label/admin?${loaded.created ? "questionnaire=nouveau" : "questionnaire=inchange"}`,
    );
  }
  return submitForm(formData, CampaignSchema, createCampaign, {
    done: (_created, value) => `/label/admin/${value.year}?creee=1`,
  });
}

export const meta: MetaFunction = () => [
  { title: "Administration du label — Territoires Internet" },
];

export default function LabelAdminPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "campagne-form",
    lastResult: actionData?.result,
    defaultValue: {
      year: String(data.nextYear),
      title: `Label ${data.nextYear}`,
      questionnaireId: data.questionnaires[0]?.id,
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CampaignSchema }),
  });
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current="Administration" />
      <h1>Administration du label</h1>
      {params.get("questionnaire") ? (
        <Notice kind="success">
          {params.get("questionnaire") === "nouveau"
            ? "Nouvelle version du questionnaire chargée depuis le fichier du dépôt."
            : "Le fichier du dépôt n'a pas changé : aucune nouvelle version."}
        </Notice>
      ) : null}
      <section aria-labelledby="campagnes" className="stack">
        <h2 id="campagnes">Campagnes</h2>
        {data.campaigns.length === 0 ? (
          <p>Aucune campagne : créez la première ci-dessous.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Campagne</th>
                  <th scope="col">État</th>
                  <th scope="col">Date limite de dépôt</th>
                  <th scope="col">Publication</th>
                </tr>
              </thead>
              <tbody>
                {data.campaigns.map((c) => (
                  <tr key={c.year}>
                    <th scope="row">
                      <Link to={`/label/admin/${c.year}`}>{c.title}</Link>
                    </th>
                    <td>{c.status}</td>
                    <td>{c.submissionDeadline}</td>
                    <td>{c.publishedAt}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="questionnaires" className="stack">
        <h2 id="questionnaires">Questionnaires</h2>
        <ul>
          {data.questionnaires.map((q) => (
            <li key={q.id}>
              <Link to={`/label/admin/questionnaires/${q.id}`}>
                {q.title}, version {q.version}
              </Link>{" "}
              ({q.questions} questions, chargé le {q.createdAt})
            </li>
          ))}
        </ul>
        <Form method="post">
          <button type="submit" name="intent" value="reload" className="button--secondary">
            Charger le questionnaire du dépôt
          </button>
        </Form>
      </section>
      <section aria-labelledby="nouvelle" className="card stack">
        <h2 id="nouvelle">Nouvelle campagne</h2>
        <p className="muted">Toutes les heures sont celles de Paris.</p>
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Field label="Année" meta={fields.year} type="number" />
          <CampaignFields
            fields={fields}
            questionnaires={data.questionnaires.map((q) => ({
              id: q.id,
              label: `${q.title}, version ${q.version}`,
            }))}
          />
          <p>
            <button type="submit">Créer la campagne</button>
          </p>
        </Form>
      </section>
    </div>
  );
}
