import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

import { QuestionField } from "~/components/label-question-field";
import { getSection, saveAnswers } from "~/models/label-answers.server";
import styles from "~/styles/label.css";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { answerText, readSectionForm } from "~/utils/label-answers-form.server";
import { limitReached } from "~/utils/rate-limit.server";
import { invariantResponse, retryAfterHeaders } from "~/utils/replies.server";
import { themeLabel } from "~/utils/themes";

import type { LabelAnswerValue } from "../../db/schema/label-constants";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

async function loadSection(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const section = await getSection(user, args.params.id ?? "", args.params.section ?? "");
  invariantResponse(section, "Dossier ou enjeu introuvable.");
  return { user, section };
}

export async function loader(args: LoaderFunctionArgs) {
  const { section } = await loadSection(args);
  const { application } = section;
  const index = section.sections.indexOf(section.questions[0]!.section);
  return {
    application: {
      id: application.id,
      collectivityName: application.collectivityName,
      year: application.campaign.year,
      deadline: formatDateTime(application.campaign.submissionDeadline),
      status: application.status,
    },
    editable: section.editable,
    section: args.params.section!,
    sectionLabel: themeLabel(args.params.section!),
    previous: section.sections[index - 1] ?? null,
    next: section.sections[index + 1] ?? null,
    sections: section.sections.map((slug) => ({ slug, label: themeLabel(slug) })),
    questions: section.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      help: q.help,
      required: q.required,
      options: q.options.map((o) => ({ value: o.value, label: o.label })),
      answer: q.answer,
      toConfirm: q.toConfirm,
      version: q.version,
      hash: q.hash,
      updatedBy: q.updatedByName,
      updatedAt: q.updatedAt ? formatDateTime(q.updatedAt) : null,
    })),
    evidence: section.evidence.map((e) => ({ id: e.id, title: e.title, slug: e.slug })),
  };
}

type ConflictView = {
  questionId: string;
  theirs: string;
  mine: string;
  version: number;
  hash: string;
  byName: string;
  at: string | null;
};

/** What the action answers, to an autosave (fetcher) or to a plain submit that was refused. */
type SectionReply = {
  status: "saved" | "invalid" | "conflict" | "closed";
  values: Record<string, LabelAnswerValue | null>;
  bases: Record<string, { version: number; hash: string }>;
  fieldErrors: Record<string, string[]>;
  conflicts: ConflictView[];
  formError: string | null;
  saved: Record<string, { version: number; hash: string }> | null;
};

const reply = (body: SectionReply, status = 200, headers?: HeadersInit) =>
  json(body, { status, headers });
const emptyReply = { fieldErrors: {}, conflicts: [], saved: null };

export async function action(args: ActionFunctionArgs) {
  const { user, section } = await loadSection(args);
  const formData = await args.request.formData();
  const evidenceIds = new Set(section.evidence.map((e) => e.id));
  const parsed = readSectionForm(formData, section.questions, evidenceIds);
  const autosave = formData.get("autosave") === "1";
  const bases = Object.fromEntries(
    parsed.entries.map((e) => [e.questionId, { version: e.baseVersion, hash: e.baseHash }]),
  );
  if (Object.keys(parsed.fieldErrors).length > 0) {
    return reply(
      {
        status: "invalid",
        values: parsed.values,
        bases,
        fieldErrors: parsed.fieldErrors,
        conflicts: [],
        formError: "Certaines réponses sont à corriger : rien n'a été enregistré.",
        saved: null,
      },
      400,
    );
  }
  const limited = await limitReached("label-answer-save", user.id);
  if (limited) {
    const body = { ...emptyReply, values: parsed.values, bases, formError: limited.message };
    return reply({ ...body, status: "closed" }, 429, retryAfterHeaders(limited));
  }
  const outcome = await saveAnswers(user, section.application.id, parsed.entries);
  if (outcome.ok) {
    if (autosave) {
      return reply({
        status: "saved",
        values: parsed.values,
        bases,
        fieldErrors: {},
        conflicts: [],
        formError: null,
        saved: outcome.value.answers,
      });
    }
    const target = formData.get("go");
    const next =
      typeof target === "string" && section.sections.includes(target)
        ? `/label/candidatures/${section.application.id}/${target}`
        : target === "dossier"
          ? `/label/candidatures/${section.application.id}`
          : `${new URL(args.request.url).pathname}?enregistre=1`;
    return redirect(next);
  }
  const optionsOf = new Map(section.questions.map((q) => [q.id, q.options]));
  const titles = new Map(section.evidence.map((e) => [e.id, e.title]));
  return reply(
    {
      status: outcome.status === 409 && "conflicts" in outcome ? "conflict" : "closed",
      values: parsed.values,
      bases,
      fieldErrors: {},
      conflicts:
        "conflicts" in outcome
          ? outcome.conflicts.map((c) => ({
              questionId: c.questionId,
              theirs: answerText(c.theirs, optionsOf.get(c.questionId) ?? [], titles),
              mine: answerText(
                parsed.values[c.questionId],
                optionsOf.get(c.questionId) ?? [],
                titles,
              ),
              version: c.version,
              hash: c.hash,
              byName: c.byName ?? "une autre personne",
              at: c.at ? formatDateTime(c.at) : null,
            }))
          : [],
      formError: outcome.formError ?? "Enregistrement impossible.",
      saved: null,
    },
    outcome.status,
  );
}

/** An autosave only confirms versions: no need to reload the whole section. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formData,
  defaultShouldRevalidate,
}) => (formData?.get("autosave") === "1" ? false : defaultShouldRevalidate);

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.sectionLabel} — dossier ${data.application.year} — Territoires Internet`
      : "Questionnaire du label",
  },
];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Question = LoaderData["questions"][number];
type Versions = Record<string, { version: number; hash: string }>;

export default function SectionPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  // Versions the next save is based on: the loader's, then what a refused save sent back (after
  // a conflict, the version just shown, so that saving again means "keep mine"), then autosaves.
  const [autosaved, setAutosaved] = useState<Versions>({});
  useEffect(() => setAutosaved({}), [data, actionData]);
  const versions: Versions = {
    ...Object.fromEntries(data.questions.map((q) => [q.id, { version: q.version, hash: q.hash }])),
    ...(actionData?.bases ?? {}),
    ...Object.fromEntries(
      (actionData?.conflicts ?? []).map((c) => [
        c.questionId,
        { version: c.version, hash: c.hash },
      ]),
    ),
    ...autosaved,
  };
  const [searchParams] = useSearchParams();
  const [status, setStatus] = useState<string>(
    searchParams.has("enregistre") ? "Réponses enregistrées." : "",
  );
  const live = fetcher.data;
  const conflicts = live?.status === "conflict" ? live.conflicts : (actionData?.conflicts ?? []);
  const fieldErrors =
    live?.status === "invalid" ? live.fieldErrors : (actionData?.fieldErrors ?? {});

  useEffect(() => {
    if (!live) return;
    if (live.status === "saved" && live.saved) {
      setAutosaved((current) => ({ ...current, ...live.saved }));
      setStatus(
        `Brouillon enregistré à ${new Date().toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })}.`,
      );
    } else if (live.status === "conflict") {
      setAutosaved((current) => {
        const next = { ...current };
        for (const c of live.conflicts) next[c.questionId] = { version: c.version, hash: c.hash };
        return next;
      });
      setStatus("Enregistrement automatique suspendu : une autre personne a modifié ces réponses.");
    } else if (live.formError) {
      setStatus(live.formError);
    }
  }, [live]);

  const scheduleSave = () => {
    if (!data.editable || conflicts.length > 0) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const body = new FormData(formRef.current);
      body.set("autosave", "1");
      setStatus("Enregistrement…");
      fetcher.submit(body, { method: "post" });
    }, 1500);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const valueOf = (q: Question) =>
    actionData && q.id in actionData.values ? actionData.values[q.id] : q.answer;
  const conflictOf = (id: string) => conflicts.find((c) => c.questionId === id);
  const formError =
    live?.status === "conflict" || live?.status === "invalid"
      ? live.formError
      : actionData?.formError;
  return (
    <div className="container stack">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/label">Label</Link> ›{" "}
        <Link to={`/label/candidatures/${data.application.id}`}>
          Dossier {data.application.year} de {data.application.collectivityName}
        </Link>{" "}
        › {data.sectionLabel}
      </nav>
      <h1>{data.sectionLabel}</h1>
      {!data.editable ? (
        <p className="alert alert--info">
          {data.application.status === "submitted"
            ? "Ce dossier est déposé : les réponses ne sont plus modifiables."
            : `La date limite (${data.application.deadline}) est passée : le dossier est en lecture seule, votre brouillon est conservé.`}
        </p>
      ) : (
        <p className="muted">
          Vos réponses s'enregistrent comme brouillon au fil de la saisie, et avec le bouton «
          Enregistrer ». Date limite de dépôt : {data.application.deadline}.
        </p>
      )}
      {formError ? (
        <div className="alert alert--error" role="alert" id="erreurs">
          <p>{formError}</p>
        </div>
      ) : null}
      <Form
        method="post"
        ref={formRef}
        onChange={scheduleSave}
        className="stack"
        aria-describedby={formError ? "erreurs" : undefined}
      >
        <fieldset disabled={!data.editable} className="stack unstyled-fieldset">
          <legend className="visually-hidden">{data.sectionLabel}</legend>
          {data.questions.map((question) => (
            <QuestionField
              key={question.id}
              question={question}
              value={valueOf(question)}
              version={versions[question.id] ?? { version: 0, hash: "" }}
              errors={fieldErrors[question.id]}
              conflict={conflictOf(question.id)}
              evidence={data.evidence}
            />
          ))}
        </fieldset>
        {data.editable ? (
          <div className="sticky-actions actions">
            <button type="submit">Enregistrer</button>
            {data.next ? (
              <button type="submit" name="go" value={data.next} className="button--secondary">
                Enregistrer et passer à l'enjeu suivant
              </button>
            ) : (
              <button type="submit" name="go" value="dossier" className="button--secondary">
                Enregistrer et revenir au dossier
              </button>
            )}
            <p className="autosave-status muted" role="status" aria-live="polite">
              {status}
            </p>
          </div>
        ) : null}
      </Form>
      <nav aria-label="Enjeux du questionnaire" className="stack">
        <h2>Autres enjeux</h2>
        <ul className="actions list-plain">
          {data.sections.map((s) => (
            <li key={s.slug}>
              {s.slug === data.section ? (
                <strong aria-current="page">{s.label}</strong>
              ) : (
                <Link to={`/label/candidatures/${data.application.id}/${s.slug}`}>{s.label}</Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
