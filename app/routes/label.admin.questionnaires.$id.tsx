import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import {
  addQuestion,
  currentQuestions,
  getQuestionnaire,
  retireQuestion,
  updateQuestion,
} from "~/models/label-questionnaires.server";
import styles from "~/styles/label.css";
import { requireRole } from "~/utils/auth.server";
import { categoryDefinitions } from "~/utils/label";
import { optionsText, readQuestionForm } from "~/utils/label-admin-forms.server";
import { invariantResponse } from "~/utils/replies.server";
import { themes } from "~/utils/themes";

import { labelQuestionKinds } from "../../db/schema/label-constants";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const kindLabels: Record<(typeof labelQuestionKinds)[number], string> = {
  yesno: "Oui / non",
  single: "Choix unique",
  multiple: "Choix multiple",
  number: "Nombre (paliers)",
  short_text: "Texte court",
  long_text: "Texte long",
  initiatives: "Initiatives en preuve (paliers)",
};

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const questionnaire = await getQuestionnaire(args.params.id ?? "");
  invariantResponse(questionnaire, "Questionnaire introuvable.");
  const questions = await currentQuestions(questionnaire.id);
  return {
    questionnaire,
    sections: themes.map((theme) => ({
      ...theme,
      questions: questions
        .filter((q) => q.section === theme.slug)
        .map((q) => ({ ...q, optionsText: optionsText(q.options) })),
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const id = args.params.id ?? "";
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  const questionId = String(formData.get("questionId") ?? "");
  if (intent === "retire") {
    invariantResponse(await retireQuestion(id, questionId), "Question introuvable.");
    return redirect(`/label/admin/questionnaires/${id}?retiree=1`);
  }
  const read = readQuestionForm(formData);
  if (!read.ok) return json({ questionId, fieldErrors: read.fieldErrors }, { status: 400 });
  const saved =
    intent === "add"
      ? await addQuestion(id, read.value)
      : await updateQuestion(id, questionId, read.value);
  if (!saved.ok) {
    invariantResponse(saved.status !== 404, "Question introuvable.");
    return json({ questionId, fieldErrors: saved.fieldErrors }, { status: saved.status });
  }
  const version =
    "newVersion" in saved.value && saved.value.newVersion ? "version=1" : "enregistree=1";
  return redirect(`/label/admin/questionnaires/${id}?${version}`);
}

export const meta: MetaFunction = () => [
  { title: "Questionnaire du label — Territoires Internet" },
];

type Question = ReturnType<
  typeof useLoaderData<typeof loader>
>["sections"][number]["questions"][number];

export default function QuestionnaireAdminPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="container stack">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/label/admin">Administration du label</Link> › Questionnaire
      </nav>
      <h1>
        {data.questionnaire.title} (version {data.questionnaire.version})
      </h1>
      {params.has("version") ? (
        <p className="alert alert--info" role="status">
          Cette question figurait dans des dossiers déposés : une nouvelle version a été créée, les
          dossiers déposés gardent l'ancienne formulation, les brouillons suivent la nouvelle.
        </p>
      ) : params.has("enregistree") || params.has("retiree") ? (
        <p className="alert alert--success" role="status">
          Questionnaire mis à jour.
        </p>
      ) : null}
      <p className="muted">
        Options : une par ligne, « valeur | libellé | points ». Pour un nombre ou des initiatives,
        la valeur est le palier minimal.
      </p>
      {data.sections.map((section) => (
        <section key={section.slug} aria-labelledby={`s-${section.slug}`} className="stack">
          <h2 id={`s-${section.slug}`}>{section.label}</h2>
          {section.questions.map((q) => (
            <details key={q.id} className="card">
              <summary>
                {q.prompt}{" "}
                <span className="muted">
                  ({kindLabels[q.kind]}, {q.weight} pts, v{q.version})
                </span>
              </summary>
              <QuestionForm
                question={q}
                section={section.slug}
                errors={actionData?.questionId === q.id ? actionData.fieldErrors : undefined}
              />
              <Form method="post">
                <input type="hidden" name="questionId" value={q.id} />
                <button
                  type="submit"
                  name="intent"
                  value="retire"
                  className="button--danger button--small"
                >
                  Retirer cette question
                </button>
              </Form>
            </details>
          ))}
          <details className="card">
            <summary>Ajouter une question à « {section.label} »</summary>
            <QuestionForm
              section={section.slug}
              errors={
                actionData?.questionId === `new-${section.slug}`
                  ? actionData.fieldErrors
                  : undefined
              }
            />
          </details>
        </section>
      ))}
    </div>
  );
}

function QuestionForm({
  question,
  section,
  errors = {},
}: {
  question?: Question;
  section: string;
  errors?: Record<string, string[] | undefined>;
}) {
  const prefix = question?.id ?? `new-${section}`;
  const error = (name: string) =>
    errors[name] ? (
      <p id={`${prefix}-${name}-error`} className="field-error">
        {errors[name]!.join(" ")}
      </p>
    ) : null;
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value={question ? "update" : "add"} />
      <input type="hidden" name="questionId" value={question?.id ?? prefix} />
      <input type="hidden" name="section" value={section} />
      <div className="form-columns">
        <div className="field">
          <label htmlFor={`${prefix}-code`}>Code</label>
          <input
            id={`${prefix}-code`}
            name="code"
            defaultValue={question?.code}
            readOnly={Boolean(question)}
            required
          />
          {error("code")}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Type</label>
          <select id={`${prefix}-kind`} name="kind" defaultValue={question?.kind ?? "yesno"}>
            {labelQuestionKinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabels[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-weight`}>Points</label>
          <input
            id={`${prefix}-weight`}
            name="weight"
            type="number"
            min={0}
            max={100}
            defaultValue={question?.weight ?? 0}
          />
          {error("weight")}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-prompt`}>Question</label>
        <textarea
          id={`${prefix}-prompt`}
          name="prompt"
          rows={2}
          defaultValue={question?.prompt}
          required
        />
        {error("prompt")}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-help`}>Aide</label>
        <textarea id={`${prefix}-help`} name="help" rows={2} defaultValue={question?.help} />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-options`}>Options</label>
        <textarea
          id={`${prefix}-options`}
          name="options"
          rows={4}
          defaultValue={question?.optionsText}
        />
        {error("options")}
      </div>
      <label>
        <input type="checkbox" name="required" defaultChecked={question?.required} /> Réponse
        obligatoire
      </label>
      <fieldset className="field">
        <legend>Catégories concernées</legend>
        <div className="choices">
          {categoryDefinitions.map((c) => (
            <label key={c.slug}>
              <input
                type="checkbox"
                name="categories"
                value={c.slug}
                defaultChecked={question ? question.categories.includes(c.slug) : true}
              />
              {c.label}
            </label>
          ))}
        </div>
        {error("categories")}
      </fieldset>
      <p>
        <button type="submit">
          {question ? "Enregistrer la question" : "Ajouter la question"}
        </button>
      </p>
    </Form>
  );
}
