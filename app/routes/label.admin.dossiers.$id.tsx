import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { PlainTextarea } from "~/components/label-fields";
import { LevelBadge, MentionList } from "~/components/label-level";
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
import { fieldErrors } from "~/utils/api.server";
import { requireRole } from "~/utils/auth.server";
import { categoryLabels, levelValues, mentions } from "~/utils/label";
import { ValidationSchema } from "~/utils/label-schemas";
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

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  const id = args.params.id ?? "";
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  if (intent === "assign") {
    const assigned = await assignJury(admin, id, String(formData.get("juryUserId") ?? ""));
    if (!assigned.ok) {
      invariantResponse(assigned.status !== 404, "Dossier introuvable.");
      return json(
        {
          intent,
          errors: {
            juryUserId: assigned.fieldErrors.juryUserId ?? [assigned.formError ?? "Refusé."],
          },
        },
        { status: assigned.status },
      );
    }
    return redirect(`/label/admin/dossiers/${id}?assigne=1`);
  }
  if (intent === "unassign") {
    await unassignJury(id, String(formData.get("juryUserId") ?? ""));
    return redirect(`/label/admin/dossiers/${id}?retire=1`);
  }
  const parsed = ValidationSchema.safeParse({
    ...Object.fromEntries(formData),
    applicationId: id,
    mentions: formData.getAll("mentions").map(String),
  });
  if (!parsed.success)
    return json({ intent: "validate", errors: fieldErrors(parsed.error) }, { status: 400 });
  if (parsed.data.mentions.some((slug) => !mentions.some((m) => m.slug === slug))) {
    return json(
      { intent: "validate", errors: { mentions: ["Mention inconnue."] } },
      { status: 400 },
    );
  }
  const validated = await validateResult(admin, id, parsed.data);
  invariantResponse(validated.ok, "Dossier introuvable.");
  return redirect(`/label/admin/dossiers/${id}?valide=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.application.name} — validation — Territoires Internet` : "Dossier" },
];

export default function AdminApplicationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = (actionData?.errors ?? {}) as Record<string, string[] | undefined>;
  const { application } = data;
  const assigned = data.candidates.filter((c) => c.assigned);
  const available = data.candidates.filter((c) => !c.assigned);
  return (
    <div className="container stack">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/label/admin">Administration du label</Link> ›{" "}
        <Link to={`/label/admin/${application.year}`}>Label {application.year}</Link> ›{" "}
        {application.name}
      </nav>
      <h1>{application.name}</h1>
      <p className="muted">
        Catégorie {application.category.toLowerCase()} · auto-évaluation{" "}
        {application.overall !== null ? `${application.overall.toLocaleString("fr-FR")} %` : "—"} ·{" "}
        <Link to={`/label/jury/${application.id}`}>lire le dossier comme le jury</Link>
      </p>
      {params.has("valide") ? (
        <p className="alert alert--success" role="status">
          Résultat validé : il sera public à la date de publication du palmarès.
        </p>
      ) : null}
      <section aria-labelledby="jury" className="card stack">
        <h2 id="jury">Jury du dossier</h2>
        {assigned.length < MIN_JURY ? (
          <p className="alert alert--warning">Au moins {MIN_JURY} membres du jury par dossier.</p>
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
        <Form method="post" className="actions">
          <div className="field">
            <label htmlFor="juryUserId">Confier à</label>
            <select
              id="juryUserId"
              name="juryUserId"
              aria-invalid={errors.juryUserId ? true : undefined}
              aria-describedby={errors.juryUserId ? "jury-error" : undefined}
            >
              {available.map((c) => (
                <option key={c.id} value={c.id} disabled={c.conflict}>
                  {c.name}
                  {c.conflict ? " — conflit d'intérêts" : ""}
                </option>
              ))}
            </select>
            {errors.juryUserId ? (
              <p id="jury-error" className="field-error">
                {errors.juryUserId.join(" ")}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="assign">
            Confier le dossier
          </button>
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
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="validate" />
          <fieldset className="field">
            <legend>Niveau final</legend>
            <div className="choices">
              {levelValues.map((level) => (
                <label key={level}>
                  <input
                    type="radio"
                    name="level"
                    value={level}
                    defaultChecked={(application.finalLevel ?? data.suggestion) === level}
                  />
                  {level} @
                </label>
              ))}
            </div>
            {errors.level ? <p className="field-error">{errors.level.join(" ")}</p> : null}
          </fieldset>
          <fieldset className="field">
            <legend>Mentions</legend>
            <div className="choices">
              {mentions.map((m) => (
                <label key={m.slug}>
                  <input
                    type="checkbox"
                    name="mentions"
                    value={m.slug}
                    defaultChecked={data.suggestedMentions.includes(m.slug)}
                  />
                  {m.label}
                </label>
              ))}
            </div>
          </fieldset>
          <PlainTextarea
            name="feedback"
            label="Retour écrit à la collectivité"
            rows={6}
            errors={errors.feedback}
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
