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
import { FormErrors } from "~/components/forms";
import { campaignDateLabels, CampaignFields } from "~/components/label-fields";
import { LevelBadge } from "~/components/label-level";
import { Notice } from "~/components/notice";
import { listCampaignApplications } from "~/models/label-applications.server";
import {
  campaignStatus,
  getCampaign,
  publishNow,
  updateCampaign,
} from "~/models/label-campaigns.server";
import { assignmentsOfCampaign, MIN_JURY } from "~/models/label-jury.server";
import { listQuestionnaires } from "~/models/label-questionnaires.server";
import styles from "~/styles/label.css";
import { requireRole } from "~/utils/auth.server";
import { instantToLocal, PARIS } from "~/utils/dates";
import { categoryLabels } from "~/utils/label";
import { CampaignSchema } from "~/utils/label-schemas";
import { invariantResponse, submitForm } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const campaign = await getCampaign(Number(args.params.annee));
  invariantResponse(campaign, "Campagne introuvable.");
  const [applications, assignments, questionnaires] = await Promise.all([
    listCampaignApplications(campaign.id),
    assignmentsOfCampaign(campaign.id),
    listQuestionnaires(),
  ]);
  return {
    campaign: {
      year: campaign.year,
      title: campaign.title,
      questionnaireId: campaign.questionnaireId,
      status: campaignStatus(campaign),
      dates: Object.fromEntries(
        campaignDateLabels.map((f) => [f.name, instantToLocal(campaign[f.name], PARIS)]),
      ) as Record<string, string>,
    },
    questionnaires: questionnaires.map((q) => ({
      id: q.id,
      label: `${q.title}, version ${q.version}`,
    })),
    applications: applications.map((a) => {
      const jury = assignments.filter((x) => x.applicationId === a.id);
      return {
        id: a.id,
        name: a.collectivityName,
        category: categoryLabels[a.category],
        status: a.status,
        overall: a.scores?.overall ?? null,
        jury: jury.map((j) => `${j.juryName}${j.proposedLevel ? ` (${j.proposedLevel} @)` : ""}`),
        juryCount: jury.length,
        finalLevel: a.validatedAt ? a.finalLevel : null,
      };
    }),
  };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const year = Number(args.params.annee);
  const formData = await args.request.formData();
  if (formData.get("intent") === "publish") {
    invariantResponse(await publishNow(year), "Campagne introuvable.");
    return redirect(`/label/${year}`);
  }
  formData.set("year", String(year));
  return submitForm(
    formData,
    CampaignSchema,
    ({ year: _year, ...input }) => updateCampaign(year, input),
    { done: () => `/label/admin/${year}?enregistree=1` },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.campaign.title} — administration — Territoires Internet` : "Campagne" },
];

export default function CampaignAdminPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "dates-form",
    lastResult: actionData?.result,
    defaultValue: {
      title: data.campaign.title,
      questionnaireId: data.campaign.questionnaireId,
      ...data.campaign.dates,
    },
    shouldValidate: "onBlur",
    // The year is the page's: the server sets it, the client checks the rest.
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: CampaignSchema.omit({ year: true }) }),
  });
  const submitted = data.applications.filter((a) => a.status === "submitted");
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[{ to: "/label/admin", label: "Administration du label" }]}
        current={data.campaign.title}
      />
      <h1>{data.campaign.title}</h1>
      {params.has("creee") || params.has("enregistree") ? (
        <Notice kind="success">Campagne enregistrée.</Notice>
      ) : null}
      <ul className="figures">
        <li>
          <strong>{data.applications.length}</strong> inscrites
        </li>
        <li>
          <strong>{submitted.length}</strong> dossiers déposés
        </li>
        <li>
          <strong>{submitted.filter((a) => a.juryCount < 2).length}</strong> à confier au jury
        </li>
        <li>
          <strong>{submitted.filter((a) => a.finalLevel !== null).length}</strong> résultats validés
        </li>
      </ul>
      <section aria-labelledby="dossiers" className="stack">
        <h2 id="dossiers">Dossiers</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Collectivité</th>
                <th scope="col">Catégorie</th>
                <th scope="col">État</th>
                <th scope="col">Auto-évaluation</th>
                <th scope="col">Jury</th>
                <th scope="col">Niveau validé</th>
              </tr>
            </thead>
            <tbody>
              {data.applications.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.status === "submitted" ? (
                      <Link to={`/label/admin/dossiers/${a.id}`}>{a.name}</Link>
                    ) : (
                      a.name
                    )}
                  </th>
                  <td>{a.category}</td>
                  <td>{a.status === "submitted" ? "déposé" : "brouillon"}</td>
                  <td>{a.overall !== null ? `${a.overall.toLocaleString("fr-FR")} %` : "—"}</td>
                  <td>
                    {a.jury.join(", ") || "—"}
                    {a.status === "submitted" && a.juryCount < MIN_JURY ? (
                      <strong className="field-error">
                        {" "}
                        (il faut au moins {MIN_JURY} membres)
                      </strong>
                    ) : null}
                  </td>
                  <td>{a.finalLevel ? <LevelBadge level={a.finalLevel} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {data.campaign.status !== "published" ? (
        <Form method="post" className="card stack">
          <p>
            La publication rend publics, au même instant, le palmarès, les panneaux, l'API et les
            données ouvertes des résultats validés.
          </p>
          <p>
            <button type="submit" name="intent" value="publish" className="button--danger">
              Publier le palmarès maintenant
            </button>
          </p>
        </Form>
      ) : null}
      <section aria-labelledby="dates" className="card stack">
        <h2 id="dates">Dates (heure de Paris)</h2>
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <CampaignFields fields={fields} questionnaires={data.questionnaires} />
          <p>
            <button type="submit">Enregistrer les dates</button>
          </p>
        </Form>
      </section>
    </div>
  );
}
