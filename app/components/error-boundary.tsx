import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const messages: Record<number, { title: string; text: string }> = {
  400: { title: "Requête invalide", text: "La demande contient des informations invalides." },
  401: { title: "Connexion requise", text: "Connectez-vous pour accéder à cette page." },
  403: { title: "Accès refusé", text: "Vous n'avez pas les droits nécessaires pour cette action." },
  404: { title: "Page introuvable", text: "Cette page n'existe pas ou vous n'y avez pas accès." },
  405: { title: "Action impossible", text: "Cette action n'est pas possible ici." },
  409: { title: "Conflit", text: "Cette action entre en conflit avec une modification récente." },
  429: { title: "Trop de tentatives", text: "Patientez un moment avant de réessayer." },
};

/** One French error page for every route: a status message, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = messages[status] ?? {
    title: "Erreur inattendue",
    text: "Une erreur est survenue de notre côté. Réessayez dans un instant.",
  };
  const detail =
    isRouteErrorResponse(error) && typeof error.data === "string" && status < 500
      ? error.data
      : null;
  return (
    <div className="container error-page">
      <h1>{known.title}</h1>
      <p>{detail ?? known.text}</p>
      <p className="muted">Code {status}</p>
      <p>
        <Link to="/">Revenir à l'accueil</Link>
      </p>
    </div>
  );
}
