import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

import { cachePage } from "~/utils/page-cache.server";

// Text only: the same for every visitor until the next deployment.
export function loader({ context }: LoaderFunctionArgs) {
  cachePage(context, { tags: ["static"] });
  return null;
}

export const meta: MetaFunction = () => [
  { title: "Déclaration d'accessibilité — Territoires Internet" },
];

export default function Accessibility() {
  return (
    <div className="container prose">
      <h1>Déclaration d'accessibilité</h1>
      <p>
        L'association qui anime Territoires Internet s'engage à rendre son service accessible,
        conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005, et au Référentiel
        général d'amélioration de l'accessibilité (RGAA) version 4.1.
      </p>
      <h2>État de conformité</h2>
      <p>
        Territoires Internet est <strong>partiellement conforme</strong> au RGAA 4.1 : aucun audit
        complet n'a encore été réalisé. Chaque page est vérifiée automatiquement (axe-core) avant
        publication et les parcours principaux sont testés au clavier.
      </p>
      <h2>Ce que nous avons mis en place</h2>
      <ul>
        <li>
          structure sémantique (titres, régions, listes) et lien d'évitement vers le contenu ;
        </li>
        <li>étiquette visible pour chaque champ, erreurs annoncées à côté du champ concerné ;</li>
        <li>navigation complète au clavier avec un focus toujours visible ;</li>
        <li>contrastes conformes au niveau AA, information jamais portée par la couleur seule ;</li>
        <li>tous les formulaires fonctionnent sans JavaScript ; affichage adapté aux mobiles ;</li>
        <li>graphiques et cartes accompagnés d'un tableau de données.</li>
      </ul>
      <h2>Signaler un défaut d'accessibilité</h2>
      <p>
        Si vous ne pouvez pas accéder à un contenu ou à un service, écrivez-nous à
        accessibilite@territoires-internet.fr : nous vous proposerons une alternative accessible et
        corrigerons le défaut.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si notre réponse ne vous satisfait pas, vous pouvez saisir le Défenseur des droits
        (formulaire en ligne, délégué·e territorial·e ou courrier gratuit : Défenseur des droits,
        Libre réponse 71120, 75342 Paris CEDEX 07).
      </p>
    </div>
  );
}
