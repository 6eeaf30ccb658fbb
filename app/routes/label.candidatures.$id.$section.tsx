import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
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

import { Breadcrumb } from "~/components/breadcrumb";
import { FormErrors } from "~/components/forms";
import { QuestionField } from "~/components/label-question-field";
import { Notice } from "~/components/notice";
import {
  evidenceInitiatives,
  getSection,
  saveAnswers,
  sectionToSave,
} from "~/models/label-answers.server";
import styles from "~/styles/label.css";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { answerText } from "~/utils/label-answer-text.server";
import { cachedSectionSchema } from "~/utils/label-section-form.server";
import {
  answerField,
  answerFormValue,
  confirmField,
  hashField,
  sectionSchema,
  type SectionEntry,
  versionField,
} from "~/utils/label-section-schema";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited, invariantResponse } from "~/utils/replies.server";
import { themeLabel } from "~/utils/themes";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const section = await getSection(user, args.params.id ?? "", args.params.section ?? "");
  invariantResponse(section, "Dossier ou enjeu introuvable.");
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
      initial: answerFormValue(q.answer),
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
type Versions = Record<string, { version: number; hash: string }>;

/**
 * What the action answers, to an autosave (fetcher) or to a plain submit that was refused: the
 * conform result (what was sent, per-field French errors, the form's error), the versions the
 * sent answers were based on, the conflicts of a 409 and, after an autosave, the new versions.
 */
type SectionReply = {
  status: "saved" | "invalid" | "conflict" | "closed";
  result: SubmissionResult<string[]>;
  bases: Versions;
  conflicts: ConflictView[];
  saved: Versions | null;
};

const reply = (body: SectionReply, status = 200) => json(body, { status });

/** The versions the form was filled from, as sent (kept after a refusal, for the next save). */
function sentVersions(formData: FormData, questions: ReadonlyArray<{ id: string }>): Versions {
  return Object.fromEntries(
    questions.flatMap((q) => {
      const version = formData.get(versionField(q.id));
      if (typeof version !== "string") return [];
      const hash = formData.get(hashField(q.id));
      return [
        [
          q.id,
          {
            version: Math.max(0, Number.parseInt(version, 10) || 0),
            hash: typeof hash === "string" ? hash : "",
          },
        ],
      ];
    }),
  );
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  // The section's questions without its answers: only what the form is checked against.
  const section = await sectionToSave(user, args.params.id ?? "", args.params.section ?? "");
  invariantResponse(section, "Dossier ou enjeu introuvable.");
  const formData = await args.request.formData();
  const offersEvidence = section.questions.some(
    (q) =>
      q.kind === "initiatives" &&
      (formData.has(answerField(q.id)) || formData.has(versionField(q.id))),
  );
  const evidence = offersEvidence ? await evidenceInitiatives(section.collectivityCode) : [];
  const submission = parseWithZod(formData, {
    schema: cachedSectionSchema(
      section.formKey,
      section.questions,
      evidence.map((e) => e.id),
    ),
  });
  const autosave = formData.get("autosave") === "1";
  const bases = sentVersions(formData, section.questions);
  const refused: Omit<SectionReply, "status" | "result"> = { bases, conflicts: [], saved: null };
  if (submission.status !== "success") {
    const result = submission.reply({
      formErrors: ["Certaines réponses sont à corriger : rien n'a été enregistré."],
    });
    return reply({ ...refused, status: "invalid", result }, 400);
  }
  const limited = await limitReached("label-answer-save", user.id);
  if (limited) {
    return formRateLimited(limited, submission, { extra: { ...refused, status: "closed" } });
  }
  const entries = submission.value;
  const outcome = await saveAnswers(user, section.applicationId, entries);
  if (outcome.ok) {
    if (autosave) {
      return reply({
        ...refused,
        status: "saved",
        result: submission.reply(),
        saved: outcome.value.answers,
      });
    }
    const target = formData.get("go");
    const next =
      typeof target === "string" && section.sections.includes(target)
        ? `/label/candidatures/${section.applicationId}/${target}`
        : target === "dossier"
          ? `/label/candidatures/${section.applicationId}`
          : `${new URL(args.request.url).pathname}?enregistre=1`;
    return redirect(next);
  }
  const optionsOf = new Map(section.questions.map((q) => [q.id, q.options]));
  const titles = new Map(evidence.map((e) => [e.id, e.title]));
  const mine = new Map(entries.map((e) => [e.questionId, e.value]));
  const conflicts =
    "conflicts" in outcome
      ? outcome.conflicts.map((c) => ({
          questionId: c.questionId,
          theirs: answerText(c.theirs, optionsOf.get(c.questionId) ?? [], titles),
          mine: answerText(mine.get(c.questionId), optionsOf.get(c.questionId) ?? [], titles),
          version: c.version,
          hash: c.hash,
          byName: c.byName ?? "une autre personne",
          at: c.at ? formatDateTime(c.at) : null,
        }))
      : [];
  const result = submission.reply({
    formErrors: [outcome.formError ?? "Enregistrement impossible."],
    fieldErrors: "fieldErrors" in outcome ? outcome.fieldErrors : undefined,
  });
  return reply(
    { ...refused, status: conflicts.length > 0 ? "conflict" : "closed", result, conflicts },
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
/** The section form's fields, one set per question: its names are data. */
type SectionFormFields = Record<string, string | string[] | undefined>;

export default function SectionPage() {
  const data = useLoaderData<typeof loader>();
  // One form per section: moving to another section starts from that section's answers.
  return <SectionForm key={`${data.application.id}/${data.section}`} data={data} />;
}

function SectionForm({ data }: { data: LoaderData }) {
  const actionData = useActionData<typeof action>();
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  // Built on first use in the browser (validation, autosave), never during the server render.
  const schemaRef = useRef<ReturnType<typeof sectionSchema>>();
  const schema = () =>
    (schemaRef.current ??= sectionSchema(
      data.questions,
      data.evidence.map((e) => e.id),
    ));
  const [form, fields] = useForm<SectionFormFields, SectionEntry[]>({
    id: "section",
    lastResult: actionData?.result,
    defaultValue: Object.fromEntries(data.questions.map((q) => [answerField(q.id), q.initial])),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: schema() }),
  });
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
  // A refused autosave's errors; a refused plain submit's come back through conform.
  const autosaveErrors = live?.status === "invalid" ? (live.result.error ?? {}) : {};

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
    } else {
      setStatus(live.result.error?.[""]?.join(" ") ?? "Enregistrement impossible.");
    }
  }, [live]);

  const scheduleSave = () => {
    if (!data.editable || conflicts.length > 0) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const body = new FormData(formRef.current);
      // The same schema as the action's: a draft with an error is shown, not sent.
      if (parseWithZod(body, { schema: schema() }).status !== "success") {
        form.validate();
        setStatus("Certaines réponses sont à corriger : le brouillon n'est pas enregistré.");
        return;
      }
      body.set("autosave", "1");
      setStatus("Enregistrement…");
      fetcher.submit(body, { method: "post" });
    }, 1500);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const formErrors =
    live?.status === "conflict" || live?.status === "invalid"
      ? live.result.error?.[""]
      : form.errors;
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[
          { to: "/label", label: "Label" },
          {
            to: `/label/candidatures/${data.application.id}`,
            label: `Dossier ${data.application.year} de ${data.application.collectivityName}`,
          },
        ]}
        current={data.sectionLabel}
      />
      <h1>{data.sectionLabel}</h1>
      {!data.editable ? (
        <Notice kind="info">
          {data.application.status === "submitted"
            ? "Ce dossier est déposé : les réponses ne sont plus modifiables."
            : `La date limite (${data.application.deadline}) est passée : le dossier est en lecture seule, votre brouillon est conservé.`}
        </Notice>
      ) : (
        <p className="muted">
          Vos réponses s'enregistrent comme brouillon au fil de la saisie, et avec le bouton «
          Enregistrer ». Date limite de dépôt : {data.application.deadline}.
        </p>
      )}
      <FormErrors errors={formErrors} id={form.errorId} />
      <Form
        method="post"
        ref={formRef}
        {...getFormProps(form)}
        onChange={scheduleSave}
        className="stack"
      >
        <fieldset disabled={!data.editable} className="stack unstyled-fieldset">
          <legend className="visually-hidden">{data.sectionLabel}</legend>
          {data.questions.map((question) => {
            const meta = fields[answerField(question.id)]!;
            return (
              <QuestionField
                // Keyed by conform: a refused save resets the form to what was sent, radios too.
                key={`${question.id}-${meta.key ?? ""}`}
                question={question}
                meta={meta}
                version={versions[question.id] ?? { version: 0, hash: "" }}
                errors={meta.errors ?? autosaveErrors[answerField(question.id)] ?? undefined}
                conflict={conflicts.find((c) => c.questionId === question.id)}
                evidence={data.evidence}
                confirmed={fields[confirmField(question.id)]!.initialValue === "on"}
              />
            );
          })}
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
