import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Notice } from "~/components/notice";

const outcomes = {
  verified: "Votre adresse électronique est confirmée : vous pouvez maintenant publier.",
  changed:
    "Votre nouvelle adresse électronique est enregistrée ; vos autres sessions sont fermées.",
  restored:
    "Votre ancienne adresse électronique est rétablie ; toutes les sessions sont fermées et les jetons d'API révoqués. Connectez-vous, puis changez votre mot de passe.",
} as const;

/** Where an address link leads once used (post, redirect, get). */
export function loader({ request }: LoaderFunctionArgs) {
  const issue = new URL(request.url).searchParams.get("issue");
  return { message: issue && issue in outcomes ? outcomes[issue as keyof typeof outcomes] : null };
}

export const meta: MetaFunction = () => [{ title: "Adresse électronique — Territoires Internet" }];

export default function AddressOutcomePage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="narrow stack">
      <h1>Adresse électronique</h1>
      {message ? <Notice kind="success">{message}</Notice> : null}
      <p>
        <Link to="/compte">Aller à mon compte</Link> · <Link to="/">Accueil</Link>
      </p>
    </div>
  );
}
