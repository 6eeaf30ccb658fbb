import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
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
  ErrorList,
  Field,
  FormErrors,
  RadioGroup,
  TextareaField,
} from "~/components/forms";
import { LevelBadge } from "~/components/label-level";
import { Notice } from "~/components/notice";
import { createPost } from "~/models/forum-posts.server";
import { getTopic, listPosts, topicPath } from "~/models/forums.server";
import { evidenceInitiatives } from "~/models/label-answers.server";
import {
  declareConflict,
  getJuryApplication,
  juryDossier,
  listReviews,
  saveReview,
} from "~/models/label-jury.server";
import styles from "~/styles/label.css";
import { requireRole, type AuthUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { ReplyFormSchema } from "~/utils/forum-schemas";
import { categoryLabels, levelChoices, mentionChoices } from "~/utils/label";
import { answerText } from "~/utils/label-answer-text.server";
import { ConflictSchema, GRID_MAX, ReviewSchema } from "~/utils/label-schemas";
import { invariantResponse, refusedReply, refusedStatus } from "~/utils/replies.server";
import { themeLabel, themeSlugs } from "~/utils/themes";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const gridLabels = ["0 — absent", "1 — émergent", "2 — en progrès", "3 — solide", "4 — exemplaire"];

async function loadAccess(args: LoaderFunctionArgs, jury: AuthUser) {
  const application = await getJuryApplication(jury, args.params.id ?? "");
  invariantResponse(application, "Dossier introuvable.");
  return application;
}

export async function loader(args: LoaderFunctionArgs) {
  const jury = requireRole(args, "jury");
  const access = await loadAccess(args, jury);
  const [dossier, reviews, evidence] = await Promise.all([
    juryDossier(access.id),
    listReviews(access.id),
    evidenceInitiatives(access.collectivityCode),
  ]);
  invariantResponse(dossier, "Dossier introuvable.");
  const topic = access.deliberationTopicId
    ? await getTopic(jury, access.deliberationTopicId)
    : null;
  const posts = topic ? await listPosts(jury, topic) : null;
  const titles = new Map(evidence.map((e) => [e.id, e.title]));
  const slugs = new Map(evidence.map((e) => [e.id, e.slug]));
  const sections = themeSlugs.filter((slug) => dossier.answers.some((a) => a.section === slug));
  const mine = reviews.find((r) => r.juryUserId === jury.id);
  return {
    application: {
      id: dossier.application.id,
      name: dossier.application.collectivityName,
      category: categoryLabels[dossier.application.category],
      population: dossier.application.population,
      year: dossier.application.year,
      submittedAt: dossier.application.submittedAt
        ? formatDateTime(dossier.application.submittedAt)
        : null,
      scores: dossier.application.scores,
      validated: dossier.application.validatedAt !== null,
    },
    sections: sections.map((slug) => ({
      slug,
      label: themeLabel(slug),
      score: dossier.application.scores?.sections[slug] ?? null,
      answers: dossier.answers
        .filter((a) => a.section === slug)
        .map((a) => ({
          id: a.questionId,
          prompt: a.prompt,
          text: answerText(a.value, a.options, titles),
          evidence:
            a.value.kind === "initiatives"
              ? a.value.value.flatMap((id) =>
                  slugs.has(id) ? [{ slug: slugs.get(id)!, title: titles.get(id)! }] : [],
                )
              : [],
        })),
    })),
    mine: mine
      ? {
          grid: mine.grid,
          proposedLevel: mine.proposedLevel,
          mentions: mine.mentions,
          comment: mine.comment,
        }
      : null,
    others: reviews
      .filter((r) => r.juryUserId !== jury.id)
      .map((r) => ({
        name: r.juryName,
        proposedLevel: r.proposedLevel,
        mentions: r.mentions,
        comment: r.comment,
      })),
    thread: topic
      ? {
          id: topic.id,
          path: topicPath(topic.categorySlug, topic),
          posts: (posts?.items ?? []).map((p) => ({
            id: p.id,
            author: p.authorName,
            html: p.html,
            at: formatDateTime(p.createdAt),
          })),
        }
      : null,
  };
}

type ActionData = { intent: string; result: SubmissionResult<string[]> };

/** Each form is told apart by its `intent`; a refusal comes back with its fields and errors. */
export async function action(args: ActionFunctionArgs) {
  const jury = requireRole(args, "jury");
  const access = await loadAccess(args, jury);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number) =>
    json<ActionData>({ intent, result }, { status });
  if (intent === "reply") {
    const submission = parseWithZod(formData, { schema: ReplyFormSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    invariantResponse(access.deliberationTopicId, "Fil de délibération introuvable.");
    const { body, idempotencyKey } = submission.value;
    const posted = await createPost(jury, {
      topicId: access.deliberationTopicId,
      body,
      idempotencyKey,
    });
    if (!posted.ok) {
      const result = refusedReply(submission, {
        fieldErrors: posted.fieldErrors,
        formError: posted.formError ?? "Message refusé.",
      });
      return reply(result, refusedStatus(posted.status));
    }
    return redirect(`/label/jury/${access.id}?message=1#deliberation`);
  }
  if (intent === "conflict") {
    const submission = parseWithZod(formData, { schema: ConflictSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    await declareConflict(jury, access.collectivityCode, submission.value.reason);
    return redirect("/label/jury?conflit=1");
  }
  const submission = parseWithZod(formData, { schema: ReviewSchema });
  if (submission.status !== "success") return reply(submission.reply(), 400);
  const { intent: _intent, ...review } = submission.value;
  const saved = await saveReview(jury, access.id, review);
  if (!saved.ok) {
    return reply(
      refusedReply(submission, { fieldErrors: {}, formError: saved.formError ?? "Refusé." }),
      refusedStatus(saved.status),
    );
  }
  return redirect(`/label/jury/${access.id}?evaluation=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Jury — ${data.application.name} — Territoires Internet` : "Espace du jury" },
];

export default function JuryApplicationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const [params] = useSearchParams();
  const resultFor = (intent: string) =>
    actionData?.intent === intent ? actionData.result : undefined;
  const { application, mine } = data;
  const disabled = application.validated;
  const [reviewForm, reviewFields] = useForm({
    id: "evaluation-form",
    lastResult: resultFor("review"),
    defaultValue: {
      grid: Object.fromEntries(Object.entries(mine?.grid ?? {}).map(([k, v]) => [k, String(v)])),
      proposedLevel: mine?.proposedLevel ? String(mine.proposedLevel) : undefined,
      mentions: mine?.mentions ?? [],
      comment: mine?.comment ?? "",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReviewSchema }),
  });
  const grid = reviewFields.grid.getFieldset();
  const [messageForm, messageFields] = useForm({
    id: "message-form",
    lastResult: resultFor("reply"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplyFormSchema }),
  });
  const [conflictForm, conflictFields] = useForm({
    id: "conflit-form",
    lastResult: resultFor("conflict"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConflictSchema }),
  });
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[{ to: "/label/jury", label: "Espace du jury" }]}
        current={application.name}
      />
      <h1>
        {application.name} — label {application.year}
      </h1>
      <p className="muted">
        Catégorie {application.category.toLowerCase()}
        {application.population
          ? ` · ${application.population.toLocaleString("fr-FR")} habitants`
          : ""}{" "}
        · déposé le {application.submittedAt}
        {application.scores
          ? ` · auto-évaluation ${application.scores.overall.toLocaleString("fr-FR")} %`
          : ""}
      </p>
      {params.has("evaluation") ? <Notice kind="success">Évaluation enregistrée.</Notice> : null}

      <section aria-labelledby="reponses" className="stack">
        <h2 id="reponses">Réponses du dossier</h2>
        {data.sections.map((section) => (
          <details key={section.slug} className="card">
            <summary>
              <strong>{section.label}</strong>
              {section.score !== null
                ? ` — auto-évaluation ${section.score.toLocaleString("fr-FR")} %`
                : ""}
            </summary>
            <dl className="facts">
              {section.answers.map((a) => (
                <div key={a.id} className="stack">
                  <dt>{a.prompt}</dt>
                  <dd className="pre-line">
                    {a.evidence.length > 0
                      ? a.evidence.map((e) => (
                          <span key={e.slug}>
                            <Link to={`/initiatives/${e.slug}`}>{e.title}</Link>{" "}
                          </span>
                        ))
                      : a.text}
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        ))}
      </section>

      <section aria-labelledby="evaluation" className="card stack">
        <h2 id="evaluation">Mon évaluation</h2>
        <Form method="post" className="stack" {...getFormProps(reviewForm)}>
          <FormErrors errors={reviewForm.errors} id={reviewForm.errorId} />
          <input type="hidden" name="intent" value="review" />
          <fieldset disabled={disabled} className="stack unstyled-fieldset">
            <legend className="visually-hidden">Mon évaluation</legend>
            <fieldset className="stack">
              <legend>Grille par enjeu (0 à {GRID_MAX})</legend>
              <div className="table-wrap">
                <table className="score-grid">
                  <thead>
                    <tr>
                      <th scope="col">Enjeu</th>
                      <th scope="col">Note</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.sections.map((section) => {
                      const meta = grid[section.slug]!;
                      const props = getSelectProps(meta);
                      return (
                        <tr key={section.slug}>
                          <th scope="row">
                            <label htmlFor={meta.id}>{section.label}</label>
                          </th>
                          <td>
                            <select {...props} key={props.key}>
                              <option value="">Non noté</option>
                              {gridLabels.map((label, score) => (
                                <option key={score} value={score}>
                                  {label}
                                </option>
                              ))}
                            </select>
                            <ErrorList id={meta.errorId} errors={meta.errors} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </fieldset>
            <RadioGroup
              legend="Niveau proposé"
              meta={reviewFields.proposedLevel}
              options={levelChoices}
            />
            <CheckboxGroup
              legend="Mentions proposées"
              meta={reviewFields.mentions}
              options={mentionChoices}
            />
            <TextareaField
              label="Appréciation (lue par le jury et l'équipe du label)"
              meta={reviewFields.comment}
              rows={5}
            />
          </fieldset>
          {disabled ? (
            <Notice kind="info">Le résultat est validé : l'évaluation est close.</Notice>
          ) : (
            <p>
              <button type="submit">Enregistrer mon évaluation</button>
            </p>
          )}
        </Form>
        {data.others.length > 0 ? (
          <>
            <h3>Évaluations des autres membres du jury</h3>
            <ul>
              {data.others.map((o) => (
                <li key={o.name}>
                  {o.name} :{" "}
                  {o.proposedLevel ? (
                    <LevelBadge level={o.proposedLevel} />
                  ) : (
                    "pas encore de niveau"
                  )}
                  {o.comment ? ` — ${o.comment}` : ""}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="deliberation" className="stack">
        <h2 id="deliberation">Délibération</h2>
        {data.thread ? (
          <>
            <p className="muted">
              Fil privé des membres du jury de ce dossier.{" "}
              <Link to={data.thread.path}>Ouvrir le fil dans les forums</Link>
            </p>
            <ol className="post-list list-plain">
              {data.thread.posts.map((post) => (
                <li key={post.id} className="post card">
                  <p className="post__header">
                    <strong>{post.author}</strong> <span className="muted">{post.at}</span>
                  </p>
                  {/* Sanitised on the server by the forums' markdown renderer. */}
                  <div
                    className="post__body prose"
                    dangerouslySetInnerHTML={{ __html: post.html }}
                  />
                </li>
              ))}
            </ol>
            <Form method="post" className="stack" {...getFormProps(messageForm)}>
              <FormErrors errors={messageForm.errors} id={messageForm.errorId} />
              <input type="hidden" name="intent" value="reply" />
              <TextareaField label="Votre message" meta={messageFields.body} rows={4} />
              <p>
                <button type="submit">Envoyer</button>
              </p>
            </Form>
          </>
        ) : (
          <p>Le fil de délibération s'ouvre quand l'équipe du label confie le dossier au jury.</p>
        )}
      </section>

      <section aria-labelledby="conflit" className="card stack">
        <h2 id="conflit">Conflit d'intérêts</h2>
        <Form method="post" className="stack" {...getFormProps(conflictForm)}>
          <FormErrors errors={conflictForm.errors} id={conflictForm.errorId} />
          <input type="hidden" name="intent" value="conflict" />
          <Field label={`Nature du lien avec ${application.name}`} meta={conflictFields.reason} />
          <p>
            <button type="submit" className="button--danger">
              Déclarer un conflit et me retirer de ce dossier
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}
