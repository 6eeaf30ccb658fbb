import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { CollectivityPicker } from "~/components/collectivity-picker";
import { Notice } from "~/components/notice";
import { matchesOfDay, recentAlertDays } from "~/models/alert-matches.server";
import { addAlert, dayOf, listAlerts, removeAlert } from "~/models/alerts.server";
import { listAreas, resolveCollectivity } from "~/models/collectivities.server";
import { AlertActionSchema, AlertDaySchema } from "~/utils/alert-schemas";
import { requireUser, safeRedirect } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { invariantResponse } from "~/utils/replies.server";
import { themes } from "~/utils/themes";

const kindLabels = {
  theme: "Thème",
  department: "Département",
  collectivity: "Collectivité",
  search: "Recherche",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const parsed = AlertDaySchema.safeParse(
    Object.fromEntries(new URL(args.request.url).searchParams),
  );
  const day = (parsed.success ? parsed.data.jour : undefined) ?? dayOf(new Date());
  const [alerts, days, matches, areas] = await Promise.all([
    listAlerts(user.id),
    recentAlertDays(user.id),
    matchesOfDay(user.id, day),
    listAreas(),
  ]);
  return { alerts, days, day, matches, departments: areas.departments };
}

type ActionData = { kind: string; error: string };

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const values = Object.fromEntries(await args.request.formData());
  const parsed = AlertActionSchema.safeParse(values);
  if (!parsed.success) {
    // The message goes next to the form that was sent (each form names its kind).
    const kind = typeof values.kind === "string" ? values.kind : "";
    const error = parsed.error.issues[0]?.message ?? "Demande invalide.";
    return json<ActionData>({ kind, error }, { status: 400 });
  }
  const form = parsed.data;
  if (form.intent === "remove") {
    invariantResponse(await removeAlert(user.id, form.id), "Alerte introuvable.");
    return redirect("/compte/alertes");
  }
  const back = safeRedirect(form.redirectTo, "/compte/alertes");
  if (form.intent === "unfollow") {
    const listed = await listAlerts(user.id);
    const found = listed.find((alert) => alert.kind === form.kind && alert.value === form.value);
    if (found) await removeAlert(user.id, found.id);
    return redirect(back);
  }
  let value = form.value;
  if (form.kind === "collectivity") {
    const resolved = await resolveCollectivity(value);
    if (resolved.status !== "found") {
      const error =
        resolved.status === "ambiguous"
          ? `Plusieurs collectivités portent ce nom : choisissez-en une parmi les suggestions (par exemple ${resolved.candidates[0]?.name} (${resolved.candidates[0]?.code})).`
          : "Aucune collectivité de l'annuaire ne correspond.";
      return json<ActionData>({ kind: "collectivity", error }, { status: 422 });
    }
    value = resolved.code;
  }
  const added = await addAlert(user.id, form.kind, value);
  if (!added.ok) {
    const error = added.formError ?? added.fieldErrors.value?.[0] ?? "Alerte impossible.";
    return json<ActionData>({ kind: form.kind, error }, { status: added.status });
  }
  return redirect(back);
}

export const meta: MetaFunction = () => [{ title: "Mes alertes — Territoires Internet" }];

function AddForm({
  kind,
  legend,
  error,
  children,
}: {
  kind: keyof typeof kindLabels;
  legend: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <Form method="post" className="card stack">
      <input type="hidden" name="intent" value="follow" />
      <input type="hidden" name="kind" value={kind} />
      <fieldset className="stack">
        <legend>{legend}</legend>
        {children}
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </fieldset>
      <button type="submit">M'alerter</button>
    </Form>
  );
}

export default function AlertsPage() {
  const { alerts, days, day, matches, departments } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorFor = (kind: string) => (failed?.kind === kind ? failed.error : undefined);
  return (
    <div className="container stack">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Mes alertes</h1>
      <p className="muted">
        Chaque nouvelle initiative ou nouvel événement qui correspond à l'une de vos alertes vous
        est signalé dans vos notifications, regroupés en une seule notification par jour.
      </p>
      {failed && !failed.kind ? <Notice kind="error">{failed.error}</Notice> : null}

      <section className="card stack" aria-labelledby="suivis">
        <h2 id="suivis">Ce que je suis</h2>
        {alerts.length === 0 ? (
          <p>
            Aucune alerte pour l'instant : ajoutez-en ci-dessous, ou utilisez le bouton « M'alerter
            » d'une recherche ou d'une collectivité.
          </p>
        ) : (
          <ul className="alert-list">
            {alerts.map((alert) => (
              <li key={alert.id}>
                <span className="badge">{kindLabels[alert.kind]}</span> {alert.label}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={alert.id} />
                  <button type="submit" className="link-button">
                    Retirer<span className="visually-hidden"> l'alerte {alert.label}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="nouveautes">
        <h2 id="nouveautes">Nouveautés du {formatDate(`${day}T12:00:00Z`)}</h2>
        {matches.length === 0 ? (
          <p className="card">Rien de nouveau ce jour-là pour vos alertes.</p>
        ) : (
          <ul className="card stack">
            {matches.map((match) => (
              <li key={`${match.type}:${match.id}`}>
                <Link to={match.path}>{match.title}</Link>{" "}
                <span className="muted">
                  — {match.type === "initiative" ? "initiative" : "événement"}, alerte{" "}
                  {match.alertLabel}
                </span>
              </li>
            ))}
          </ul>
        )}
        {days.length > 0 ? (
          <nav aria-label="Jours précédents">
            <ul className="inline-list">
              {days.map((entry) => (
                <li key={entry.day}>
                  <Link
                    to={`?jour=${entry.day}`}
                    aria-current={entry.day === day ? "page" : undefined}
                  >
                    {formatDate(`${entry.day}T12:00:00Z`)} ({entry.total})
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="ajouter">
        <h2 id="ajouter">Ajouter une alerte</h2>
        <div className="grid grid--2">
          <AddForm kind="theme" legend="Un thème" error={errorFor("theme")}>
            <div className="field">
              <label htmlFor="alerte-theme">Thème</label>
              <select id="alerte-theme" name="value">
                {themes.map((theme) => (
                  <option key={theme.slug} value={theme.slug}>
                    {theme.label}
                  </option>
                ))}
              </select>
            </div>
          </AddForm>
          <AddForm kind="department" legend="Un département" error={errorFor("department")}>
            <div className="field">
              <label htmlFor="alerte-departement">Département</label>
              <select id="alerte-departement" name="value">
                {departments.map((department) => (
                  <option key={department.code} value={department.code}>
                    {department.name} ({department.code})
                  </option>
                ))}
              </select>
            </div>
          </AddForm>
          <AddForm kind="collectivity" legend="Une collectivité" error={errorFor("collectivity")}>
            <CollectivityPicker name="value" label="Nom ou code de la collectivité" />
          </AddForm>
          <AddForm kind="search" legend="Une recherche" error={errorFor("search")}>
            <div className="field">
              <label htmlFor="alerte-recherche">Mots à suivre</label>
              <input id="alerte-recherche" name="value" type="text" maxLength={200} />
              <p className="hint">Par exemple « budget participatif » ou « RGPD ».</p>
            </div>
          </AddForm>
        </div>
      </section>
    </div>
  );
}
