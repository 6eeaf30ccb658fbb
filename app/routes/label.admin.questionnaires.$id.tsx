import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import {
  CheckboxGroup,
  ErrorList,
  Field,
  FormErrors,
  SelectField,
  TextareaField,
} from "~/components/forms";
import { Notice } from "~/components/notice";
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
import { optionsText } from "~/utils/label-forms.server";
import { QuestionFormSchema } from "~/utils/label-schemas";
import { invariantResponse, refusedReply } from "~/utils/replies.server";
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
  const submission = parseWithZod(formData, { schema: QuestionFormSchema });
  if (submission.status !== "success") {
    return json({ questionId, result: submission.reply() }, { status: 400 });
  }
  const { intent: _intent, questionId: _id, ...edit } = submission.value;
  const saved =
    intent === "add" ? await addQuestion(id, edit) : await updateQuestion(id, questionId, edit);
  if (!saved.ok) {
    invariantResponse(saved.status !== 404, "Question introuvable.");
    return json({ questionId, result: refusedReply(submission, saved) }, { status: saved.status });
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
      <Breadcrumb
        trail={[{ to: "/label/admin", label: "Administration du label" }]}
        current="Questionnaire"
      />
      <h1>
        {data.questionnaire.title} (version {data.questionnaire.version})
      </h1>
      {params.has("version") ? (
        <Notice kind="info">
          Cette question figurait dans des dossiers déposés : une nouvelle version a été créée, les
          dossiers déposés gardent l'ancienne formulation, les brouillons suivent la nouvelle.
        </Notice>
      ) : params.has("enregistree") || params.has("retiree") ? (
        <Notice kind="success">Questionnaire mis à jour.</Notice>
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
                lastResult={actionData?.questionId === q.id ? actionData.result : undefined}
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
              lastResult={
                actionData?.questionId === `new-${section.slug}` ? actionData.result : undefined
              }
            />
          </details>
        </section>
      ))}
    </div>
  );
}

/** One question's form (or a new question's); several on the page, told apart by `questionId`. */
function QuestionForm({
  question,
  section,
  lastResult,
}: {
  question?: Question;
  section: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const prefix = question?.id ?? `new-${section}`;
  const [form, fields] = useForm({
    id: `question-${prefix}`,
    lastResult,
    defaultValue: {
      code: question?.code,
      kind: question?.kind ?? "yesno",
      weight: String(question?.weight ?? 0),
      prompt: question?.prompt,
      help: question?.help,
      options: question?.optionsText,
      required: question?.required ? "on" : undefined,
      categories: question ? question.categories : categoryDefinitions.map((c) => c.slug),
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: QuestionFormSchema }),
  });
  const code = getInputProps(fields.code, { type: "text" });
  const required = getInputProps(fields.required, { type: "checkbox" });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value={question ? "update" : "add"} />
      <input type="hidden" name="questionId" value={prefix} />
      <input type="hidden" name="section" value={section} />
      <div className="form-columns">
        <div className="field">
          <label htmlFor={fields.code.id}>Code</label>
          <input {...code} key={code.key} readOnly={Boolean(question)} />
          <ErrorList id={fields.code.errorId} errors={fields.code.errors} />
        </div>
        <SelectField label="Type" meta={fields.kind}>
          {labelQuestionKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabels[kind]}
            </option>
          ))}
        </SelectField>
        <Field label="Points" meta={fields.weight} type="number" />
      </div>
      <TextareaField label="Question" meta={fields.prompt} rows={2} />
      <TextareaField label="Aide" meta={fields.help} rows={2} />
      <TextareaField label="Options" meta={fields.options} rows={4} />
      <label>
        <input {...required} key={required.key} /> Réponse obligatoire
      </label>
      <CheckboxGroup
        legend="Catégories concernées"
        meta={fields.categories}
        options={categoryDefinitions.map((c) => ({ value: c.slug, label: c.label }))}
      />
      <p>
        <button type="submit">
          {question ? "Enregistrer la question" : "Ajouter la question"}
        </button>
      </p>
    </Form>
  );
}
