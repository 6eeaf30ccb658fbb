import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Field, FormErrors, TextareaField } from "~/components/forms";
import { LevelBadge, MentionList } from "~/components/label-level";
import { Notice } from "~/components/notice";
import {
  addCredit,
  applicationOverview,
  isEditable,
  removeCredit,
  reopenApplication,
  setQuote,
  submitApplication,
} from "~/models/label-applications.server";
import { deadlinePassed, isPublished } from "~/models/label-campaigns.server";
import styles from "~/styles/label.css";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime, timeLeft } from "~/utils/dates";
import { categoryLabels } from "~/utils/label";
import { CreditSchema, QuoteSchema } from "~/utils/label-schemas";
import { indicativeLevel } from "~/utils/label-scoring";
import { invariantResponse } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const overview = await applicationOverview(user, args.params.id ?? "");
  invariantResponse(overview, "Dossier introuvable.");
  const { application, progress, scores, credits } = overview;
  const { campaign } = application;
  const now = new Date();
  const published = isPublished(campaign, now) && application.validatedAt !== null;
  return {
    application: {
      id: application.id,
      collectivityCode: application.collectivityCode,
      collectivityName: application.collectivityName,
      category: categoryLabels[application.category],
      status: application.status,
      submittedAt: application.submittedAt ? formatDateTime(application.submittedAt) : null,
      quote: application.quote,
    },
    campaign: {
      year: campaign.year,
      title: campaign.title,
      deadline: formatDateTime(campaign.submissionDeadline),
      left: deadlinePassed(campaign.submissionDeadline, now)
        ? null
        : timeLeft(new Date(campaign.submissionDeadline.getTime() + 60_000), now),
      publishedAt: formatDateTime(campaign.publishedAt),
    },
    editable: isEditable(application, now),
    reopenable:
      application.status === "submitted" && !deadlinePassed(campaign.submissionDeadline, now),
    progress,
    overall: scores.overall,
    indicative: indicativeLevel(scores.overall),
    credits,
    me: { id: user.id, name: user.name, jobTitle: user.jobTitle },
    result: published
      ? {
          level: application.finalLevel!,
          mentions: application.mentions,
          feedback: application.feedback,
        }
      : null,
  };
}

/** A refusal: conform's result of the form named by `intent` (the submission's, by section). */
type Reply = { intent: string; result: SubmissionResult<string[]> };
const reply = (body: Reply, status: number) => json(body, { status });
const refusal = (
  intent: string,
  failed: { fieldErrors?: Record<string, string[]>; formError?: string },
) =>
  ({
    intent,
    result: {
      status: "error",
      error: { ...failed.fieldErrors, "": failed.formError ? [failed.formError] : [] },
    },
  }) satisfies Reply;

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const id = args.params.id ?? "";
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const back = (query: string) => redirect(`/label/candidatures/${id}?${query}`);
  if (intent === "submit") {
    const submitted = await submitApplication(user, id);
    if (submitted.ok) return back("depose=1");
    invariantResponse(submitted.status !== 404, "Dossier introuvable.");
    return reply(refusal(intent, submitted), submitted.status);
  }
  if (intent === "reopen") {
    const reopened = await reopenApplication(user, id);
    if (reopened.ok) return back("rouvert=1");
    invariantResponse(reopened.status !== 404, "Dossier introuvable.");
    return reply(refusal(intent, reopened), reopened.status);
  }
  if (intent === "add-credit" || intent === "credit-me") {
    if (intent === "credit-me") {
      formData.set("name", user.name);
      formData.set("role", user.jobTitle);
    }
    const submission = parseWithZod(formData, { schema: CreditSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() }, 400);
    const added = await addCredit(user, id, {
      name: submission.value.name,
      role: submission.value.role,
      publicConsent: submission.value.publicConsent,
      userId: intent === "credit-me" ? user.id : null,
    });
    invariantResponse(added.ok, "Dossier introuvable.");
    return back("credit=1#contributeurs");
  }
  if (intent === "remove-credit") {
    const removed = await removeCredit(user, id, String(formData.get("creditId") ?? ""));
    invariantResponse(removed, "Contributeur introuvable.");
    return back("credit=0#contributeurs");
  }
  if (intent === "quote") {
    const submission = parseWithZod(formData, { schema: QuoteSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() }, 400);
    invariantResponse(await setQuote(user, id, submission.value.quote), "Dossier introuvable.");
    return back("citation=1#citation");
  }
  return reply(refusal(intent, { formError: "Action inconnue." }), 400);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Dossier ${data.campaign.year} de ${data.application.collectivityName} — Territoires Internet`
      : "Dossier du label",
  },
];

const notices: Record<string, string> = {
  inscrite: "Votre collectivité est inscrite : l'équipe peut remplir le questionnaire.",
  depose: "Dossier déposé. Merci ! Le jury l'évaluera après la date limite.",
  rouvert: "Le dossier est de nouveau un brouillon : pensez à le déposer avant la date limite.",
  credit: "Contributeurs mis à jour.",
  citation: "Citation enregistrée.",
};

export default function ApplicationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<Reply>();
  const [params] = useSearchParams();
  const notice = Object.keys(notices).find((key) => params.has(key));
  const { application, campaign } = data;
  const resultFor = (intent: string) =>
    actionData?.intent === intent ? actionData.result : undefined;
  const [creditForm, creditFields] = useForm({
    id: "credit-form",
    lastResult: resultFor("add-credit"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreditSchema }),
  });
  const [quoteForm, quoteFields] = useForm({
    id: "citation-form",
    lastResult: resultFor("quote"),
    defaultValue: { quote: application.quote },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: QuoteSchema }),
  });
  const submitErrors = Object.entries(resultFor("submit")?.error ?? {}).filter(
    ([section, errors]) => section !== "" && errors && errors.length > 0,
  );
  const consent = getInputProps(creditFields.publicConsent, { type: "checkbox" });
  const missing = data.progress.flatMap((p) =>
    p.missing.map((q) => ({ ...q, section: p.section })),
  );
  const toConfirm = data.progress.reduce((sum, p) => sum + p.toConfirm, 0);
  const base = `/label/candidatures/${application.id}`;
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current={`Dossier ${campaign.year}`} />
      <h1>
        {campaign.title} — {application.collectivityName}
      </h1>
      <p className="muted">
        Catégorie {application.category.toLowerCase()} ·{" "}
        {application.status === "draft"
          ? `Brouillon · date limite de dépôt : ${campaign.deadline}${campaign.left ? ` (dans ${campaign.left})` : ""}`
          : `Déposé le ${application.submittedAt}`}
      </p>
      {notice ? <Notice kind="success">{notices[notice]}</Notice> : null}
      {/* The refusal of a button form (submit, reopen); the other forms show theirs in place. */}
      <FormErrors errors={resultFor("submit")?.error?.[""] ?? resultFor("reopen")?.error?.[""]} />

      {data.result ? (
        <section className="ceremony stack" aria-labelledby="resultat">
          <h2 id="resultat">Résultat du label {campaign.year}</h2>
          <LevelBadge level={data.result.level} size="large" />
          <MentionList mentions={data.result.mentions} />
          <h3>Le mot du jury</h3>
          <p className="pre-line">{data.result.feedback}</p>
          <p>
            <Link to={`/label/verifier/${application.collectivityCode}`}>
              Télécharger le panneau et le code à intégrer à votre site
            </Link>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="questionnaire" className="stack">
        <h2 id="questionnaire">Questionnaire</h2>
        <ul className="progress-list">
          {data.progress.map((p) => (
            <li key={p.section}>
              <Link to={`${base}/${p.section}`}>{p.label}</Link>
              <span>
                {p.answered} / {p.total} réponses
                {p.toConfirm > 0 ? ` · ${p.toConfirm} à confirmer` : ""}
              </span>
              <progress
                max={p.total}
                value={p.answered}
                aria-label={`${p.label} : ${p.answered} réponses sur ${p.total}`}
              />
            </li>
          ))}
        </ul>
        <p>
          Score indicatif : <strong>{data.overall.toLocaleString("fr-FR")} %</strong>
          {data.indicative > 0 ? ` (niveau indicatif ${data.indicative} @)` : ""} —{" "}
          <Link to={`${base}/mosaique`}>voir la mosaïque des enjeux</Link>
        </p>
      </section>

      {application.status === "draft" ? (
        <section aria-labelledby="depot" className="card stack">
          <h2 id="depot">Déposer le dossier</h2>
          {missing.length > 0 || toConfirm > 0 ? (
            <>
              <p>Avant le dépôt, il reste à compléter :</p>
              <ul>
                {missing.map((q) => (
                  <li key={q.id}>
                    <Link to={`${base}/${q.section}#question-${q.id}`}>{q.prompt}</Link>
                  </li>
                ))}
                {toConfirm > 0 ? (
                  <li>{toConfirm} réponse(s) reprise(s) de l'an dernier à confirmer</li>
                ) : null}
              </ul>
            </>
          ) : (
            <p>Toutes les réponses obligatoires sont remplies.</p>
          )}
          {submitErrors.length > 0 ? (
            <ul className="field-error">
              {submitErrors.map(([section, errors]) => (
                <li key={section}>
                  <Link to={`${base}/${section}`}>{errors?.join(" ")}</Link>
                </li>
              ))}
            </ul>
          ) : null}
          {data.editable ? (
            <Form method="post">
              <button type="submit" name="intent" value="submit">
                Déposer le dossier
              </button>
            </Form>
          ) : (
            <Notice kind="info">
              La date limite est passée : le dossier ne peut plus être déposé. Votre brouillon est
              conservé.
            </Notice>
          )}
        </section>
      ) : data.reopenable ? (
        <Form method="post">
          <button type="submit" name="intent" value="reopen" className="button--secondary">
            Rouvrir le dossier pour le modifier
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="contributeurs" className="card stack">
        <h2 id="contributeurs">Contributeurs et contributrices</h2>
        <p className="muted">
          Le label valorise le travail des agents et des élus : les personnes qui l'acceptent sont
          citées au palmarès.
        </p>
        {data.credits.length === 0 ? (
          <p>Personne n'est encore crédité.</p>
        ) : (
          <ul className="list-plain">
            {data.credits.map((credit) => (
              <li key={credit.id} className="actions">
                <span>
                  <strong>{credit.name}</strong>
                  {credit.role ? `, ${credit.role}` : ""}
                  {credit.publicConsent ? " · cité·e au palmarès" : " · non cité·e publiquement"}
                </span>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="creditId" value={credit.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove-credit"
                    className="button--secondary button--small"
                  >
                    Retirer <span className="visually-hidden">{credit.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        {!data.credits.some((c) => c.userId === data.me.id) ? (
          <Form method="post" className="actions">
            <label>
              <input type="checkbox" name="publicConsent" defaultChecked /> J'accepte d'être cité·e
              au palmarès
            </label>
            <button type="submit" name="intent" value="credit-me" className="button--secondary">
              M'ajouter ({data.me.name})
            </button>
          </Form>
        ) : null}
        <Form method="post" className="stack" {...getFormProps(creditForm)}>
          <FormErrors errors={creditForm.errors} id={creditForm.errorId} />
          <input type="hidden" name="intent" value="add-credit" />
          <div className="form-columns">
            <Field label="Nom" meta={creditFields.name} autoComplete="off" />
            <Field
              label="Fonction"
              meta={creditFields.role}
              hint="Par exemple : secrétaire de mairie"
            />
          </div>
          <label>
            <input {...consent} key={consent.key} /> Cette personne accepte d'être citée au palmarès
          </label>
          <p>
            <button type="submit" className="button--secondary">
              Ajouter
            </button>
          </p>
        </Form>
      </section>

      <section aria-labelledby="citation" className="card stack">
        <h2 id="citation">Une phrase pour la cérémonie</h2>
        <Form method="post" className="stack" {...getFormProps(quoteForm)}>
          <FormErrors errors={quoteForm.errors} id={quoteForm.errorId} />
          <input type="hidden" name="intent" value="quote" />
          <TextareaField
            label="Citation lue au palmarès (facultatif)"
            meta={quoteFields.quote}
            rows={3}
          />
          <p>
            <button type="submit" className="button--secondary">
              Enregistrer la citation
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}
