import { parseWithZod } from "@conform-to/zod/v4";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { approvedCollectivityOf, getCollectivity } from "~/models/collectivities.server";
import { applicationsOfViewer, registerApplication } from "~/models/label-applications.server";
import {
  campaignStatus,
  currentCampaign,
  deadlinePassed,
  publishedYears,
  registrationOpen,
} from "~/models/label-campaigns.server";
import styles from "~/styles/label.css";
import { getUser, hasRole, requireUser } from "~/utils/auth.server";
import { formatDateTime, timeLeft } from "~/utils/dates";
import { categoryLabels, categoryOf, notCandidateReason } from "~/utils/label";
import { RegisterSchema } from "~/utils/label-schemas";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited, refusedReply } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const now = new Date();
  const [campaign, years, mine, code] = await Promise.all([
    currentCampaign(now),
    publishedYears(now),
    viewer ? applicationsOfViewer(viewer) : Promise.resolve([]),
    viewer ? approvedCollectivityOf(viewer.id) : Promise.resolve(null),
  ]);
  const collectivity = code ? await getCollectivity(code) : null;
  const current = campaign && mine.find((a) => a.year === campaign.year);
  const dates = campaign
    ? [
        { label: "Ouverture de la campagne", at: campaign.opensAt, minute: false },
        { label: "Fin des inscriptions", at: campaign.registrationDeadline, minute: true },
        {
          label: "Date limite de dépôt des dossiers",
          at: campaign.submissionDeadline,
          minute: true,
        },
        { label: "Délibérations du jury", at: campaign.juryStartsAt, minute: false },
        { label: "Publication du palmarès", at: campaign.publishedAt, minute: false },
      ].map((d) => ({
        label: d.label,
        text: `${d.minute ? "jusqu'au " : ""}${formatDateTime(d.at)}`,
        past: d.minute ? deadlinePassed(d.at, now) : d.at <= now,
        left: d.at > now ? timeLeft(d.at, now) : null,
      }))
    : [];
  return {
    campaign: campaign
      ? {
          year: campaign.year,
          title: campaign.title,
          status: campaignStatus(campaign, now),
          registrationOpen: registrationOpen(campaign, now),
          registrationLeft: timeLeft(
            new Date(campaign.registrationDeadline.getTime() + 60_000),
            now,
          ),
        }
      : null,
    dates,
    years,
    signedIn: Boolean(viewer),
    isAdmin: hasRole(viewer, "admin"),
    isJury: viewer ? viewer.roles.includes("jury") : false,
    collectivity: collectivity
      ? {
          name: collectivity.name,
          category: categoryOf(collectivity),
          notCandidateReason: notCandidateReason(collectivity.kind),
        }
      : null,
    currentApplication: current ? { id: current.id, status: current.status } : null,
    applications: mine,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const submission = parseWithZod(await args.request.formData(), { schema: RegisterSchema });
  if (submission.status !== "success") {
    return json(
      { result: submission.reply({ formErrors: ["Demande invalide : rechargez la page."] }) },
      { status: 400 },
    );
  }
  const limited = await limitReached("label-register", user.id);
  if (limited) return formRateLimited(limited, submission);
  const registered = await registerApplication(user, submission.value.year, {
    carryOver: submission.value.carryOver,
  });
  if (registered.ok) return redirect(`/label/candidatures/${registered.value.id}?inscrite=1`);
  if ("existingId" in registered) return redirect(`/label/candidatures/${registered.existingId}`);
  return json({ result: refusedReply(submission, registered) }, { status: registered.status });
}

export const meta: MetaFunction = () => [
  { title: "Label Territoires, Villes et Villages Internet — Territoires Internet" },
  {
    name: "description",
    content:
      "Le label national des collectivités numériques : questionnaire d'auto-évaluation, jury, niveaux de 1 à 5 @ et palmarès.",
  },
];

const statusText = {
  upcoming: "La campagne ouvrira bientôt.",
  open: "La campagne est ouverte.",
  evaluation: "Les dossiers sont entre les mains du jury.",
  published: "Le palmarès est publié.",
};

export default function LabelPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const { campaign } = data;
  return (
    <div className="container stack">
      <section className="hero stack" aria-labelledby="titre">
        <h1 id="titre">Label Territoires, Villes et Villages Internet</h1>
        <p className="lead">
          Chaque année, les collectivités décrivent leurs actions numériques, se situent enjeu par
          enjeu, sont évaluées par un jury et reçoivent un niveau de 1 à 5 « @ » à afficher à
          l'entrée de la commune et sur leur site.
        </p>
        {campaign ? (
          <p>
            <strong>{campaign.title}</strong> — {statusText[campaign.status]}
            {campaign.registrationOpen
              ? ` Il reste ${campaign.registrationLeft} pour s'inscrire.`
              : null}
          </p>
        ) : (
          <p>Aucune campagne n'est programmée pour l'instant.</p>
        )}
        <CallToAction data={data} />
        <FormErrors errors={result?.error?.[""]} />
      </section>

      {campaign ? (
        <section aria-labelledby="dates" className="stack">
          <h2 id="dates">Dates clés de la campagne {campaign.year}</h2>
          <p className="muted">
            Heures de Paris. Une date limite vaut jusqu'à la fin de la minute indiquée.
          </p>
          <ul className="key-dates">
            {data.dates.map((d) => (
              <li key={d.label} className={d.past ? "is-past" : undefined}>
                <strong>{d.label}</strong>
                <br />
                {d.text}
                {d.left ? (
                  <>
                    <br />
                    <span className="muted">dans {d.left}</span>
                  </>
                ) : (
                  <span className="visually-hidden"> (passée)</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="participer" className="stack prose">
        <h2 id="participer">Comment participer</h2>
        <ol>
          <li>
            Le ou la référent·e de la collectivité (ou un membre validé) <strong>inscrit</strong> la
            collectivité avant la fin des inscriptions.
          </li>
          <li>
            L'équipe remplit <strong>ensemble</strong> le questionnaire, enjeu par enjeu, en
            plusieurs fois : chaque réponse est enregistrée comme brouillon.
          </li>
          <li>
            La <strong>mosaïque des enjeux</strong> montre à tout moment où vous en êtes, comparé
            aux collectivités semblables de l'an passé.
          </li>
          <li>
            Le dossier est <strong>déposé</strong> avant la date limite ; le jury l'évalue et
            attribue un niveau de 1 à 5 @, parfois une mention.
          </li>
          <li>
            Au palmarès, chaque collectivité labellisée reçoit son <strong>panneau</strong> et un
            retour écrit du jury.
          </li>
        </ol>
        <p>
          Catégories : village (moins de 3 500 habitants), ville, territoire (intercommunalité) et
          département : chacun est comparé aux collectivités de sa catégorie.
        </p>
      </section>

      {data.applications.length > 0 ? (
        <section aria-labelledby="mes-dossiers" className="stack">
          <h2 id="mes-dossiers">Les dossiers de ma collectivité</h2>
          <ul>
            {data.applications.map((a) => (
              <li key={a.id}>
                <Link to={`/label/candidatures/${a.id}`}>
                  Label {a.year} — {a.collectivityName}
                </Link>{" "}
                ({a.status === "draft" ? "brouillon" : "déposé"})
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="palmares" className="stack">
        <h2 id="palmares">Palmarès et chiffres</h2>
        {data.years.length === 0 ? (
          <p>Le premier palmarès sera publié à la fin de la campagne.</p>
        ) : (
          <ul className="actions list-plain">
            {data.years.map((year) => (
              <li key={year}>
                <Link className="button button--secondary" to={`/label/${year}`}>
                  Palmarès {year}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/label/statistiques">Statistiques du label</Link> ·{" "}
          <Link to="/api/v1/label/results.csv" reloadDocument>
            Résultats en données ouvertes (CSV)
          </Link>
          {data.isJury ? (
            <>
              {" "}
              · <Link to="/label/jury">Espace du jury</Link>
            </>
          ) : null}
          {data.isAdmin ? (
            <>
              {" "}
              · <Link to="/label/admin">Administration du label</Link>
            </>
          ) : null}
        </p>
      </section>
    </div>
  );
}

function CallToAction({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { campaign } = data;
  if (!campaign) return null;
  if (data.currentApplication) {
    return (
      <p>
        <Link className="button" to={`/label/candidatures/${data.currentApplication.id}`}>
          {data.currentApplication.status === "draft"
            ? "Continuer notre dossier"
            : "Voir notre dossier déposé"}
        </Link>
      </p>
    );
  }
  if (!campaign.registrationOpen) return null;
  if (!data.signedIn) {
    return (
      <p>
        <Link className="button" to="/connexion?redirectTo=/label">
          Se connecter pour inscrire sa collectivité
        </Link>{" "}
        ou <Link to="/inscription">rejoindre le réseau</Link>.
      </p>
    );
  }
  if (!data.collectivity) {
    return (
      <Notice kind="info">
        Votre adhésion à une collectivité doit être validée pour l'inscrire au label.
      </Notice>
    );
  }
  if (!data.collectivity.category) {
    return <Notice kind="info">{data.collectivity.notCandidateReason}</Notice>;
  }
  return (
    <Form method="post" className="card stack">
      <input type="hidden" name="year" value={campaign.year} />
      <p>
        Inscrire <strong>{data.collectivity.name}</strong> au {campaign.title}, catégorie{" "}
        {categoryLabels[data.collectivity.category].toLowerCase()}.
      </p>
      <label>
        <input type="checkbox" name="carryOver" defaultChecked /> Partir de nos réponses de l'an
        dernier et de nos initiatives en cours (à confirmer une à une)
      </label>
      <p>
        <button type="submit">Inscrire ma collectivité</button>
      </p>
    </Form>
  );
}
