import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { LevelBadge, MentionList } from "~/components/label-level";
import { Notice } from "~/components/notice";
import { getCollectivity } from "~/models/collectivities.server";
import { evidenceInitiatives } from "~/models/label-answers.server";
import { verifyLabel } from "~/models/label-results.server";
import styles from "~/styles/label.css";
import { levelSpoken } from "~/utils/label";
import { qrSvg } from "~/utils/label-panel.server";
import { invariantResponse } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const collectivity = await getCollectivity(params.code ?? "");
  invariantResponse(collectivity, "Collectivité introuvable.");
  const [label, initiatives] = await Promise.all([
    verifyLabel(collectivity.code),
    evidenceInitiatives(collectivity.code),
  ]);
  const origin = new URL(request.url).origin;
  const verifyUrl = `${origin}/label/verifier/${collectivity.code}`;
  const current = label.current;
  const panel = current ? `/label/panneaux/${current.year}/${collectivity.code}` : null;
  return {
    collectivity: { code: collectivity.code, name: collectivity.name },
    current,
    history: label.history.map((h) => ({ year: h.year, level: h.level, mentions: h.mentions })),
    initiatives: initiatives.slice(0, 12).map((i) => ({ slug: i.slug, title: i.title })),
    panel,
    qr: qrSvg(verifyUrl),
    snippet:
      current && panel
        ? `<a href="${verifyUrl}"><img src="${origin}${panel}.svg" width="240" alt="${collectivity.name.replace(/"/g, "&quot;")} : label Territoires, Villes et Villages Internet ${current.year}, ${levelSpoken(current.level)}"></a>`
        : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Vérifier le label de ${data.collectivity.name} — Territoires Internet`
      : "Vérification du label",
  },
];

export default function VerifyPage() {
  const data = useLoaderData<typeof loader>();
  const { current } = data;
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current="Vérification" />
      <h1>Label de {data.collectivity.name}</h1>
      {current ? (
        <section className="ceremony stack" aria-labelledby="niveau">
          <h2 id="niveau">
            Niveau en vigueur : label {current.year}, {levelSpoken(current.level)}
          </h2>
          <LevelBadge level={current.level} size="large" />
          <MentionList mentions={current.mentions} />
          <p>
            Ce niveau est authentique : il a été attribué par le jury du label Territoires, Villes
            et Villages Internet et publié au{" "}
            <Link to={`/label/${current.year}`}>palmarès {current.year}</Link>.
          </p>
        </section>
      ) : (
        <Notice kind="warning">
          {data.collectivity.name} n'a pas de label en vigueur publié sur cette plateforme.
        </Notice>
      )}
      {data.history.length > 0 ? (
        <section aria-labelledby="historique" className="stack">
          <h2 id="historique">Historique</h2>
          <table>
            <caption className="visually-hidden">Niveaux obtenus par année</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Niveau</th>
                <th scope="col">Mentions</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((h) => (
                <tr key={h.year}>
                  <th scope="row">
                    <Link to={`/label/${h.year}`}>{h.year}</Link>
                  </th>
                  <td>
                    <LevelBadge level={h.level} />
                  </td>
                  <td>
                    <MentionList mentions={h.mentions} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section aria-labelledby="initiatives" className="stack">
        <h2 id="initiatives">Ses initiatives</h2>
        {data.initiatives.length === 0 ? (
          <p>Aucune initiative publiée pour l'instant.</p>
        ) : (
          <ul>
            {data.initiatives.map((i) => (
              <li key={i.slug}>
                <Link to={`/initiatives/${i.slug}`}>{i.title}</Link>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to={`/collectivites/${data.collectivity.code}`}>
            Fiche de {data.collectivity.name}
          </Link>
        </p>
      </section>
      {current && data.panel && data.snippet ? (
        <section aria-labelledby="panneau" className="card stack">
          <h2 id="panneau">Le panneau et le code à intégrer</h2>
          <img
            className="panel-preview"
            src={`${data.panel}.svg`}
            alt={`Panneau du label ${current.year} de ${data.collectivity.name}, ${levelSpoken(current.level)}`}
          />
          <p className="actions">
            <a className="button" href={`${data.panel}.svg`} download>
              Télécharger le panneau (SVG)
            </a>
            <a className="button button--secondary" href={`${data.panel}.png`} download>
              Télécharger le panneau (PNG)
            </a>
          </p>
          <div className="field">
            <label htmlFor="snippet">Code HTML à coller sur votre site</label>
            <textarea id="snippet" className="snippet" readOnly rows={4} value={data.snippet} />
          </div>
          <figure>
            {/* The QR code is built on the server from our own URL: no user text inside. */}
            <div dangerouslySetInnerHTML={{ __html: data.qr }} />
            <figcaption className="muted">Code QR vers cette page de vérification.</figcaption>
          </figure>
        </section>
      ) : null}
    </div>
  );
}
