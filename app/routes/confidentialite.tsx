import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

import { cachePage } from "~/utils/page-cache.server";

// Text only: the same for every visitor until the next deployment.
export function loader({ context }: LoaderFunctionArgs) {
  cachePage(context, { tags: ["static"] });
  return null;
}

export const meta: MetaFunction = () => [
  { title: "Mentions légales et données personnelles — Territoires Internet" },
];

export default function Privacy() {
  return (
    <div className="container prose">
      <h1>Mentions légales et données personnelles</h1>
      <h2>Éditeur</h2>
      <p>
        Territoires Internet est édité par l'association qui anime le label « Territoires, Villes et
        Villages Internet ». Le service est hébergé en France ; il n'utilise ni traceur, ni police
        ou script de sites tiers.
      </p>
      <h2>Données que nous conservons</h2>
      <div className="table-wrap">
        <table>
          <caption>Données personnelles traitées</caption>
          <thead>
            <tr>
              <th scope="col">Données</th>
              <th scope="col">Pourquoi</th>
              <th scope="col">Combien de temps</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Nom, adresse électronique, fonction, profil, collectivité</td>
              <td>Créer votre compte, vous présenter aux autres membres, valider votre adhésion</td>
              <td>
                Tant que le compte existe ; un compte inactif depuis 2 ans est averti puis supprimé
              </td>
            </tr>
            <tr>
              <td>Mot de passe (empreinte argon2id, jamais le mot de passe lui-même)</td>
              <td>Vous authentifier</td>
              <td>Tant que le compte existe</td>
            </tr>
            <tr>
              <td>Sessions et jetons d'API (empreintes)</td>
              <td>Vous garder connecté·e, connecter vos outils</td>
              <td>30 jours sans activité pour une session ; jusqu'à révocation pour un jeton</td>
            </tr>
            <tr>
              <td>Compteurs de tentatives par adresse IP</td>
              <td>Protéger les comptes contre les essais de mots de passe</td>
              <td>Au plus une heure</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>
        Base légale : l'intérêt légitime de l'association à animer le réseau de ses membres (article
        6.1.f du RGPD). Les données ne sont ni vendues ni transmises à des tiers.
      </p>
      <h2>Vos droits</h2>
      <p>
        Depuis <a href="/compte">votre compte</a>, vous pouvez à tout moment modifier votre profil,
        télécharger toutes vos données (format JSON) et supprimer votre compte. La suppression
        efface vos données personnelles de la base et de l'index de recherche ; vos contributions
        publiques restent, attribuées à « ancien membre ». Les sauvegardes chiffrées sont écrasées
        au bout de 30 jours, ce qui efface aussi vos données des sauvegardes.
      </p>
      <p>
        Pour toute question ou pour exercer vos droits d'accès, de rectification, d'opposition ou
        d'effacement : dpo@territoires-internet.fr. Vous pouvez aussi saisir la CNIL.
      </p>
    </div>
  );
}
