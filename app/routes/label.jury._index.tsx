import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Notice } from "~/components/notice";
import { resolveCollectivity } from "~/models/collectivities.server";
import { declareConflict, listAssignments, listConflicts } from "~/models/label-jury.server";
import styles from "~/styles/label.css";
import { requireRole } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { categoryLabels } from "~/utils/label";
import { z } from "~/utils/validation";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const ConflictSchema = z.object({
  collectivity: z
    .string({ error: "Indiquez la collectivité." })
    .trim()
    .min(2, "Indiquez la collectivité.")
    .max(200),
  reason: z.string().trim().max(500).default(""),
});

export async function loader(args: LoaderFunctionArgs) {
  const jury = requireRole(args, "jury");
  const [assignments, conflicts] = await Promise.all([listAssignments(jury), listConflicts(jury)]);
  return {
    assignments: assignments.map((a) => ({ ...a, category: categoryLabels[a.category] })),
    conflicts: conflicts.map((c) => ({ ...c, declaredAt: formatDate(c.declaredAt) })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const jury = requireRole(args, "jury");
  const parsed = ConflictSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) {
    return json({ error: parsed.error.issues[0]?.message ?? "Saisie invalide." }, { status: 400 });
  }
  const resolved = await resolveCollectivity(parsed.data.collectivity);
  if (resolved.status !== "found") {
    return json(
      {
        error:
          resolved.status === "ambiguous"
            ? `Plusieurs collectivités correspondent : précisez le code (${resolved.candidates
                .slice(0, 5)
                .map((c) => `${c.name} ${c.code}`)
                .join(", ")}).`
            : "Collectivité introuvable : saisissez son nom exact ou son code officiel.",
      },
      { status: 400 },
    );
  }
  await declareConflict(jury, resolved.code, parsed.data.reason);
  return redirect("/label/jury?conflit=1");
}

export const meta: MetaFunction = () => [{ title: "Espace du jury — Territoires Internet" }];

export default function JuryPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current="Espace du jury" />
      <h1>Espace du jury</h1>
      {params.has("conflit") ? (
        <Notice kind="success">
          Conflit d'intérêts enregistré : les dossiers concernés ne vous sont plus confiés.
        </Notice>
      ) : null}
      <section aria-labelledby="dossiers" className="stack">
        <h2 id="dossiers">Mes dossiers</h2>
        {data.assignments.length === 0 ? (
          <p>Aucun dossier ne vous est confié pour l'instant. L'équipe du label vous préviendra.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Dossiers qui vous sont confiés</caption>
              <thead>
                <tr>
                  <th scope="col">Collectivité</th>
                  <th scope="col">Campagne</th>
                  <th scope="col">Catégorie</th>
                  <th scope="col">Mon évaluation</th>
                </tr>
              </thead>
              <tbody>
                {data.assignments.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link to={`/label/jury/${a.id}`}>{a.collectivityName}</Link>
                    </th>
                    <td>{a.year}</td>
                    <td>{a.category}</td>
                    <td>{a.validated ? "Résultat validé" : a.reviewed ? "Proposée" : "À faire"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="conflits" className="card stack">
        <h2 id="conflits">Conflits d'intérêts</h2>
        <p className="muted">
          Les dossiers de votre collectivité et de votre département ne vous sont jamais confiés.
          Déclarez ici toute autre collectivité avec laquelle vous avez un lien.
        </p>
        {data.conflicts.length > 0 ? (
          <ul>
            {data.conflicts.map((c) => (
              <li key={c.collectivityCode}>
                {c.name}
                {c.reason ? ` — ${c.reason}` : ""} (déclaré le {c.declaredAt})
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" className="stack">
          <div className="field">
            <label htmlFor="collectivity">Collectivité (nom ou code officiel)</label>
            <input
              id="collectivity"
              name="collectivity"
              required
              aria-invalid={actionData?.error ? true : undefined}
              aria-describedby={actionData?.error ? "conflict-error" : undefined}
            />
            {actionData?.error ? (
              <p id="conflict-error" className="field-error">
                {actionData.error}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="reason">Nature du lien (facultatif)</label>
            <input id="reason" name="reason" maxLength={500} />
          </div>
          <p>
            <button type="submit">Déclarer un conflit</button>
          </p>
        </Form>
      </section>
    </div>
  );
}
