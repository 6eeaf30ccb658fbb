import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
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
import {
  CheckboxGroup,
  FormErrors,
  RadioGroup,
  SelectField,
  TextareaField,
} from "~/components/forms";
import { LevelBadge, MentionList } from "~/components/label-level";
import { Notice } from "~/components/notice";
import {
  assignJury,
  juryCandidates,
  juryDossier,
  listReviews,
  MIN_JURY,
  unassignJury,
} from "~/models/label-jury.server";
import { validateResult } from "~/models/label-results.server";
import styles from "~/styles/label.css";
import { requireRole } from "~/utils/auth.server";
import { categoryLabels, levelChoices, mentionChoices } from "~/utils/label";
import { AssignJurySchema, UnassignJurySchema, ValidationSchema } from "~/utils/label-schemas";
import { invariantResponse } from "~/utils/replies.server";
import { themeLabel } from "~/utils/themes";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const dossier = await juryDossier(args.params.id ?? "");
  invariantResponse(dossier, "Dossier introuvable.");
  const { application } = dossier;
  const [reviews, candidates] = await Promise.all([
    listReviews(application.id),
    juryCandidates(application.id),
  ]);
  const proposals = reviews.map((r) => r.proposedLevel).filter((l): l is number => l !== null);
  return {
    application: {
      id: application.id,
      name: application.collectivityName,
      category: categoryLabels[application.category],
      year: application.year,
      overall: application.scores?.overall ?? null,
      finalLevel: application.finalLevel,
      validated: application.validatedAt !== null,
    },
    reviews: reviews.map((r) => ({
      juryUserId: r.juryUserId,
      name: r.juryName,
      proposedLevel: r.proposedLevel,
      mentions: r.mentions,
      comment: r.comment,
      grid: Object.entries(r.grid).map(([slug, score]) => `${themeLabel(slug)} : ${score}/4`),
    })),
    candidates,
    suggestion:
      proposals.length > 0
        ? Math.round(proposals.reduce((a, b) => a + b, 0) / proposals.length)
        : null,
    suggestedMentions: [...new Set(reviews.flatMap((r) => r.mentions))],
  };
}

type ActionData = { intent: string; result: SubmissionResult<string[]> };

/** Each form is told apart by its `intent`; a refusal comes back with its fields and errors. */
export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  const id = args.params.id ?? "";
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number) =>
    json<ActionData>({ intent, result }, { status });
  if (intent === "assign") {
    const submission = parseWithZod(formData, { schema: AssignJurySchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const assigned = await assignJury(admin, id, submission.value.juryUserId);
    if (!assigned.ok) {
      invariantResponse(assigned.status !== 404, "Dossier introuvable.");
      const juryUserId = assigned.fieldErrors.juryUserId ?? [assigned.formError ?? "Refusé."];
      return reply(submission.reply({ fieldErrors: { juryUserId } }), assigned.status);
    }
    return redirect(`/label/admin/dossiers/${id}?assigne=1`);
  }
  if (intent === "unassign") {
    const submission = parseWithZod(formData, { schema: UnassignJurySchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    await unassignJury(id, submission.value.juryUserId);
    return redirect(`/label/admin/dossiers/${id}?retire=1`);
  }
  const submission = parseWithZod(formData, { schema: ValidationSchema });
  if (submission.status !== "success") return reply(submission.reply(), 400);
  const { intent: _intent, ...validation } = submission.value;
  const validated = await validateResult(admin, id, validation);
  invariantResponse(validated.ok, "Dossier introuvable.");
  return redirect(`/label/admin/dossiers/${id}?valide=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.application.name} — validation — Territoires Internet` : "Dossier" },
];

export default function AdminApplicationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const [params] = useSearchParams();
  const resultFor = (intent: string) =>
    actionData?.intent === intent ? actionData.result : undefined;
  const { application } = data;
  const [assignForm, assignFields] = useForm({
    id: "confier-form",
    lastResult: resultFor("assign"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AssignJurySchema }),
  });
  const [validationForm, validationFields] = useForm({
    id: "validation-form",
    lastResult: resultFor("validate"),
    defaultValue: {
      level: String(application.finalLevel ?? data.suggestion ?? ""),
      mentions: data.suggestedMentions,
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ValidationSchema }),
  });
  const assigned = data.candidates.filter((c) => c.assigned);
  const available = data.candidates.filter((c) => !c.assigned);
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[
          { to: "/label/admin", label: "Administration du label" },
          { to: `/label/admin/${application.year}`, label: `Label ${application.year}` },
        ]}
        current={application.name}
      />
      <h1>{application.name}</h1>
      <p className="muted">
        Catégorie {application.category.toLowerCase()} · auto-évaluation{" "}
        {application.overall !== null ? `${application.overall.toLocaleString("fr-FR")} %` : "—"} ·{" "}
        <Link to={`/label/jury/${application.id}`}>lire le dossier comme le jury</Link>
      </p>
      {params.has("valide") ? (
        <Notice kind="success">
          Résultat validé : il sera public à la date de publication du palmarès.
        </Notice>
      ) : null}
      <section aria-labelledby="jury" className="card stack">
        <h2 id="jury">Jury du dossier</h2>
        {assigned.length < MIN_JURY ? (
          <Notice kind="warning">Au moins {MIN_JURY} membres du jury par dossier.</Notice>
        ) : null}
        <ul className="list-plain">
          {assigned.map((c) => (
            <li key={c.id} className="actions">
              {c.name}
              {c.conflict ? <strong className="field-error"> (conflit d'intérêts)</strong> : null}
              <Form method="post" className="inline-form">
                <input type="hidden" name="juryUserId" value={c.id} />
                <button
                  type="submit"
                  name="intent"
                  value="unassign"
                  className="button--secondary button--small"
                >
                  Retirer <span className="visually-hidden">{c.name}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="stack" {...getFormProps(assignForm)}>
          <FormErrors errors={assignForm.errors} id={assignForm.errorId} />
          <div className="actions">
            <SelectField label="Confier à" meta={assignFields.juryUserId}>
              {available.map((c) => (
                <option key={c.id} value={c.id} disabled={c.conflict}>
                  {c.name}
                  {c.conflict ? " — conflit d'intérêts" : ""}
                </option>
              ))}
            </SelectField>
            <button type="submit" name="intent" value="assign">
              Confier le dossier
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="evaluations" className="stack">
        <h2 id="evaluations">Évaluations du jury</h2>
        {data.reviews.length === 0 ? <p>Aucune évaluation pour l'instant.</p> : null}
        {data.reviews.map((r) => (
          <article key={r.juryUserId} className="card stack">
            <h3>{r.name}</h3>
            <p>Niveau proposé : {r.proposedLevel ? <LevelBadge level={r.proposedLevel} /> : "—"}</p>
            <MentionList mentions={r.mentions} />
            {r.grid.length > 0 ? <p className="muted">{r.grid.join(" · ")}</p> : null}
            {r.comment ? <p className="pre-line">{r.comment}</p> : null}
          </article>
        ))}
      </section>
      <section aria-labelledby="validation" className="card stack">
        <h2 id="validation">Validation du résultat</h2>
        <Form method="post" className="stack" {...getFormProps(validationForm)}>
          <FormErrors errors={validationForm.errors} id={validationForm.errorId} />
          <input type="hidden" name="intent" value="validate" />
          <RadioGroup legend="Niveau final" meta={validationFields.level} options={levelChoices} />
          <CheckboxGroup
            legend="Mentions"
            meta={validationFields.mentions}
            options={mentionChoices}
          />
          <TextareaField
            label="Retour écrit à la collectivité"
            meta={validationFields.feedback}
            rows={6}
          />
          <p>
            <button type="submit">
              {application.validated ? "Modifier le résultat" : "Valider le résultat"}
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}
