import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { PlainTextarea } from "~/components/label-fields";
import { LevelBadge } from "~/components/label-level";
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
import { fieldErrors } from "~/utils/api.server";
import { requireRole, type AuthUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { ReplyFormSchema } from "~/utils/forum-schemas";
import { categoryLabels, levelValues, mentions } from "~/utils/label";
import { answerText } from "~/utils/label-answer-text.server";
import { GRID_MAX, ReviewSchema } from "~/utils/label-schemas";
import { invariantResponse } from "~/utils/replies.server";
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

export async function action(args: ActionFunctionArgs) {
  const jury = requireRole(args, "jury");
  const access = await loadAccess(args, jury);
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  if (intent === "post") {
    const parsed = ReplyFormSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success)
      return json({ intent, errors: fieldErrors(parsed.error) }, { status: 400 });
    invariantResponse(access.deliberationTopicId, "Fil de délibération introuvable.");
    const posted = await createPost(jury, { topicId: access.deliberationTopicId, ...parsed.data });
    if (!posted.ok) {
      return json(
        { intent, errors: { body: [posted.formError ?? "Message refusé."] } },
        { status: posted.status },
      );
    }
    return redirect(`/label/jury/${access.id}?message=1#deliberation`);
  }
  if (intent === "conflict") {
    await declareConflict(
      jury,
      access.collectivityCode,
      String(formData.get("reason") ?? "").slice(0, 500),
    );
    return redirect("/label/jury?conflit=1");
  }
  const parsed = ReviewSchema.safeParse(
    Object.fromEntries([...formData].filter(([k]) => k !== "mentions")),
  );
  const chosen = formData.getAll("mentions").map(String);
  const errors: Record<string, string[]> = parsed.success ? {} : fieldErrors(parsed.error);
  const grid: Record<string, number> = {};
  for (const slug of themeSlugs) {
    const raw = formData.get(`g-${slug}`);
    if (raw === null || raw === "") continue;
    const score = Number(raw);
    if (!Number.isInteger(score) || score < 0 || score > GRID_MAX)
      errors[`g-${slug}`] = ["Note de 0 à 4."];
    else grid[slug] = score;
  }
  if (chosen.some((slug) => !mentions.some((m) => m.slug === slug)))
    errors.mentions = ["Mention inconnue."];
  if (!parsed.success || Object.keys(errors).length > 0)
    return json({ intent: "review", errors }, { status: 400 });
  const saved = await saveReview(jury, access.id, {
    grid,
    proposedLevel: parsed.data.proposedLevel,
    mentions: chosen,
    comment: parsed.data.comment,
  });
  if (!saved.ok)
    return json(
      { intent: "review", errors: { form: [saved.formError ?? "Refusé."] } },
      { status: saved.status },
    );
  return redirect(`/label/jury/${access.id}?evaluation=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Jury — ${data.application.name} — Territoires Internet` : "Espace du jury" },
];

export default function JuryApplicationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = (actionData?.errors ?? {}) as Record<string, string[] | undefined>;
  const { application, mine } = data;
  const disabled = application.validated;
  return (
    <div className="container stack">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/label/jury">Espace du jury</Link> › {application.name}
      </nav>
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
      {params.has("evaluation") ? (
        <p className="alert alert--success" role="status">
          Évaluation enregistrée.
        </p>
      ) : null}
      {errors.form ? (
        <p className="alert alert--error" role="alert">
          {errors.form.join(" ")}
        </p>
      ) : null}

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
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="review" />
          <fieldset disabled={disabled} className="stack">
            <legend>Grille par enjeu (0 à 4)</legend>
            <div className="table-wrap">
              <table className="score-grid">
                <thead>
                  <tr>
                    <th scope="col">Enjeu</th>
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {data.sections.map((section) => (
                    <tr key={section.slug}>
                      <th scope="row">
                        <label htmlFor={`g-${section.slug}`}>{section.label}</label>
                      </th>
                      <td>
                        <select
                          id={`g-${section.slug}`}
                          name={`g-${section.slug}`}
                          defaultValue={
                            mine?.grid[section.slug] !== undefined
                              ? String(mine.grid[section.slug])
                              : ""
                          }
                          aria-invalid={errors[`g-${section.slug}`] ? true : undefined}
                        >
                          <option value="">Non noté</option>
                          {gridLabels.map((label, score) => (
                            <option key={score} value={score}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </fieldset>
          <fieldset disabled={disabled} className="field">
            <legend>Niveau proposé</legend>
            <div className="choices">
              {levelValues.map((level) => (
                <label key={level}>
                  <input
                    type="radio"
                    name="proposedLevel"
                    value={level}
                    defaultChecked={mine?.proposedLevel === level}
                  />
                  {level} @
                </label>
              ))}
            </div>
            {errors.proposedLevel ? (
              <p className="field-error">{errors.proposedLevel.join(" ")}</p>
            ) : null}
          </fieldset>
          <fieldset disabled={disabled} className="field">
            <legend>Mentions proposées</legend>
            <div className="choices">
              {mentions.map((m) => (
                <label key={m.slug}>
                  <input
                    type="checkbox"
                    name="mentions"
                    value={m.slug}
                    defaultChecked={mine?.mentions.includes(m.slug)}
                  />
                  {m.label}
                  {m.validYears > 1 ? ` (valable ${m.validYears} ans)` : ""}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="comment">Appréciation (lue par le jury et l'équipe du label)</label>
            <textarea
              id="comment"
              name="comment"
              rows={5}
              maxLength={5000}
              defaultValue={mine?.comment ?? ""}
              disabled={disabled}
            />
          </div>
          {disabled ? (
            <p className="alert alert--info">Le résultat est validé : l'évaluation est close.</p>
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
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="post" />
              <PlainTextarea name="body" label="Votre message" rows={4} errors={errors.body} />
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
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="conflict" />
          <div className="field">
            <label htmlFor="reason">Nature du lien avec {application.name}</label>
            <input id="reason" name="reason" maxLength={500} />
          </div>
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
