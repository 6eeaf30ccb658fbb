import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { InitiativeCardGrid, InitiativeLinks, ThemeList } from "~/components/initiative-card";
import { MemberChip } from "~/components/member-chip";
import { Notice } from "~/components/notice";
import { outputGroupOf } from "~/models/groups-outputs.server";
import { adoptInitiative, withdrawAdoption } from "~/models/initiative-adoptions.server";
import { getInitiative, relatedInitiatives } from "~/models/initiatives.server";
import { requirePublisher, requireUser } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { budgetLabels, populationBracketLabel, statusLabels } from "~/utils/initiatives";
import { kindLabels } from "~/utils/labels";
import { cachePage, pageTags } from "~/utils/page-cache.server";
import { invariantResponse } from "~/utils/replies.server";
import { formatNumber } from "~/utils/text";
import { z } from "~/utils/validation";

const AdoptSchema = z.object({
  intent: z.literal("adopt"),
  note: z.string().trim().max(500, "La précision ne peut pas dépasser 500 caractères.").default(""),
});
const WithdrawSchema = z.object({ intent: z.literal("withdraw") });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const initiative = await getInitiative({ slug: params.slug ?? "", viewer });
  invariantResponse(initiative, "Initiative introuvable.");
  const [related, workingGroup] = await Promise.all([
    relatedInitiatives(initiative),
    outputGroupOf(initiative.id),
  ]);
  const { body: _body, adoptions, ...rest } = initiative;
  const people = [
    ...initiative.contributors.map((c) => c.userId),
    ...adoptions.map((a) => a.contactId),
  ];
  const shown = [initiative, ...related, ...initiative.inspired, initiative.inspiredBy];
  cachePage(context, {
    tags: [
      pageTags.initiatives,
      ...shown.flatMap((card) => (card ? [pageTags.initiative(card.id)] : [])),
      ...people.flatMap((id) => (id ? [pageTags.member(id)] : [])),
    ],
  });
  return {
    initiative: {
      ...rest,
      adoptions: adoptions.map(({ contactId: _id, ...adoption }) => adoption),
    },
    related,
    workingGroup,
    signedIn: Boolean(viewer),
    alreadyAdopted: initiative.adoptions.some(
      (a) => a.collectivityCode === initiative.viewerCollectivityCode,
    ),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const initiative = await getInitiative({ slug: args.params.slug ?? "", viewer: user });
  invariantResponse(initiative, "Initiative introuvable.");
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  if (intent === "adopt") {
    requirePublisher(args);
    const parsed = AdoptSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success)
      return json(
        { ok: false, message: parsed.error.issues[0]?.message ?? "Saisie invalide." },
        { status: 400 },
      );
    const done = await adoptInitiative(user, initiative.id, parsed.data.note);
    if (!done.ok)
      return json(
        {
          ok: false,
          message:
            done.formError ?? Object.values(done.fieldErrors)[0]?.[0] ?? "Action impossible.",
        },
        { status: done.status },
      );
    return json({
      ok: true,
      message: "Merci ! Votre collectivité apparaît parmi celles qui l'ont reprise.",
    });
  }
  if (WithdrawSchema.safeParse(Object.fromEntries(formData)).success) {
    await withdrawAdoption(user, initiative.id);
    return json({
      ok: true,
      message: "Votre collectivité ne figure plus parmi celles qui l'ont reprise.",
    });
  }
  return json({ ok: false, message: "Action inconnue." }, { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.initiative.title} — Initiatives — Territoires Internet` },
        { name: "description", content: data.initiative.summary },
      ]
    : [{ title: "Initiative introuvable — Territoires Internet" }];

export default function InitiativePage() {
  const { initiative, related, workingGroup, signedIn, alreadyAdopted } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.has("publiee")
    ? "Initiative publiée. Elle apparaîtra dans la recherche dans un instant."
    : params.has("enregistree")
      ? "Brouillon enregistré : seule votre collectivité le voit."
      : params.has("modifiee")
        ? "Modifications enregistrées."
        : null;
  const ownCollectivity = initiative.viewerCollectivityCode === initiative.collectivityCode;
  const canAdopt =
    signedIn &&
    initiative.status === "published" &&
    !ownCollectivity &&
    initiative.viewerCollectivityCode;
  return (
    <div className="container stack">
      <p>
        <Link to="/initiatives">← Toutes les initiatives</Link>
      </p>
      <article className="stack">
        <header className="stack">
          <h1>
            {initiative.title}
            {initiative.status !== "published" ? (
              <>
                {" "}
                <span className="badge badge--pending">{statusLabels[initiative.status]}</span>
              </>
            ) : null}
          </h1>
          <p className="muted">
            Par{" "}
            <Link to={`/collectivites/${initiative.collectivityCode}`}>
              {initiative.collectivityName}
            </Link>{" "}
            ({kindLabels[initiative.collectivityKind]})
            {initiative.publishedAt ? ` · publiée le ${formatDate(initiative.publishedAt)}` : null}
          </p>
          <ThemeList themes={initiative.themes} />
          <p className="lead">{initiative.summary}</p>
          {initiative.canEdit ? (
            <p className="actions">
              <Link
                className="button button--secondary"
                to={`/initiatives/${initiative.slug}/modifier`}
              >
                Modifier l'initiative
              </Link>
            </p>
          ) : null}
          {signedIn && initiative.status === "published" ? (
            // Hook of the forums domain: opens or finds the initiative's discussion topic.
            <Form method="post" action={`/forums/discuter/${initiative.slug}`}>
              <button type="submit" className="secondary">
                Discuter de cette initiative
              </button>
            </Form>
          ) : null}
        </header>

        {saved && !result ? <Notice kind="success">{saved}</Notice> : null}
        {result?.message ? (
          <Notice kind={result.ok ? "success" : "error"}>{result.message}</Notice>
        ) : null}

        <div className="form-columns">
          <div className="prose" dangerouslySetInnerHTML={{ __html: initiative.bodyHtml }} />
          <aside className="stack" aria-label="En bref">
            <section className="card">
              <h2>En bref</h2>
              <dl className="facts">
                {initiative.startYear ? (
                  <>
                    <dt>Depuis</dt>
                    <dd>{initiative.startYear}</dd>
                  </>
                ) : null}
                {initiative.budgetBracket ? (
                  <>
                    <dt>Budget</dt>
                    <dd>{budgetLabels[initiative.budgetBracket]}</dd>
                  </>
                ) : null}
                {initiative.population ? (
                  <>
                    <dt>Population</dt>
                    <dd>
                      {formatNumber(initiative.population)} habitants
                      {initiative.populationBracket ? (
                        <span className="visually-hidden">
                          {" "}
                          ({populationBracketLabel(initiative.populationBracket)})
                        </span>
                      ) : null}
                    </dd>
                  </>
                ) : null}
                {initiative.tags.length > 0 ? (
                  <>
                    <dt>Mots-clés</dt>
                    <dd>{initiative.tags.join(", ")}</dd>
                  </>
                ) : null}
              </dl>
            </section>
            <section className="card" aria-labelledby="contributeurs">
              <h2 id="contributeurs">Qui l'a fait, qui contacter</h2>
              {workingGroup ? (
                <p>
                  Production du groupe de travail{" "}
                  <Link to={`/conseil/groupes/${workingGroup.id}`}>{workingGroup.title}</Link> du
                  conseil des partenaires.
                </p>
              ) : null}
              {initiative.contributors.length === 0 ? (
                <p>
                  Contactez les membres de{" "}
                  <Link to={`/collectivites/${initiative.collectivityCode}`}>
                    {initiative.collectivityName}
                  </Link>
                  .
                </p>
              ) : (
                <ul className="list-plain">
                  {initiative.contributors.map((c) => (
                    <li key={c.id}>
                      {c.profileKind ? (
                        <MemberChip name={c.name} jobTitle={c.role} profileKind={c.profileKind} />
                      ) : (
                        <span className="member-chip">
                          <strong>{c.name}</strong>
                          {c.role ? <small>{c.role}</small> : null}
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {initiative.links.length > 0 ? (
              <section className="card" aria-labelledby="liens">
                <h2 id="liens">Liens</h2>
                <ul>
                  {initiative.links.map((link) => (
                    <li key={link.url}>
                      <a href={link.url} rel="nofollow ugc noopener">
                        {link.label || link.url}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </aside>
        </div>

        <section className="card stack" aria-labelledby="essaimage">
          <h2 id="essaimage">Essaimage</h2>
          <p>
            {initiative.reuseCount === 0
              ? "Aucune autre collectivité ne l'a encore reprise."
              : `Reprise par ${initiative.reuseCount} collectivité${initiative.reuseCount > 1 ? "s" : ""}.`}
          </p>
          {initiative.inspiredBy ? (
            <p>
              Inspirée de{" "}
              <Link to={`/initiatives/${initiative.inspiredBy.slug}`}>
                {initiative.inspiredBy.title}
              </Link>{" "}
              ({initiative.inspiredBy.collectivityName}).
            </p>
          ) : null}
          {initiative.adoptions.length > 0 ? (
            <>
              <h3>Elles l'ont fait aussi</h3>
              <ul className="list-plain">
                {initiative.adoptions.map((a) => (
                  <li key={a.collectivityCode}>
                    <Link to={`/collectivites/${a.collectivityCode}`}>{a.collectivityName}</Link>
                    {a.contactName
                      ? ` — contact : ${a.contactName}${a.contactJobTitle ? `, ${a.contactJobTitle}` : ""}`
                      : null}
                    {a.note ? <p className="muted">{a.note}</p> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {initiative.inspired.length > 0 ? (
            <>
              <h3>Initiatives qui s'en sont inspirées</h3>
              <InitiativeLinks initiatives={initiative.inspired} />
            </>
          ) : null}
          {canAdopt ? (
            alreadyAdopted ? (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <button type="submit" className="secondary">
                  Retirer ma collectivité de la liste
                </button>
              </Form>
            ) : (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="adopt" />
                <div className="field">
                  <label htmlFor="note">
                    Votre collectivité l'a fait aussi ? Précisez (facultatif)
                  </label>
                  <textarea id="note" name="note" rows={2} maxLength={500} />
                </div>
                <p className="actions">
                  <button type="submit">Nous l'avons fait aussi</button>
                  <Link
                    to={`/initiatives/nouvelle?inspireeDe=${encodeURIComponent(initiative.slug)}`}
                  >
                    Décrire notre version, inspirée de celle-ci
                  </Link>
                </p>
              </Form>
            )
          ) : !signedIn ? (
            <p>
              <Link to={`/connexion?redirectTo=/initiatives/${initiative.slug}`}>
                Connectez-vous
              </Link>{" "}
              pour signaler que votre collectivité l'a fait aussi.
            </p>
          ) : null}
        </section>

        {related.length > 0 ? (
          <section aria-labelledby="proches" className="stack">
            <h2 id="proches">Sur les mêmes thèmes</h2>
            <InitiativeCardGrid initiatives={related} />
          </section>
        ) : null}
      </article>
    </div>
  );
}
