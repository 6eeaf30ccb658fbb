import { Form, Link } from "@remix-run/react";

import { PlacesLeft } from "./event-card";

/**
 * Registering, cancelling and choosing to appear in the public list: plain POST forms told apart
 * by `intent`, so that they work without JavaScript.
 */
export function RegistrationPanel({
  slug,
  status,
  open,
  signedIn,
  registration,
  placesLeft,
  busy,
}: {
  slug: string;
  status: "draft" | "published" | "cancelled";
  open: boolean;
  signedIn: boolean;
  registration: {
    status: "confirmed" | "waitlisted";
    position: number | null;
    showPublicly: boolean;
  } | null;
  placesLeft: number | null;
  busy: boolean;
}) {
  return (
    <section className="card stack" aria-labelledby="inscription">
      <h2 id="inscription">Inscription</h2>
      {!signedIn ? (
        <p>
          <Link to={`/connexion?redirectTo=/evenements/${slug}`}>Connectez-vous</Link> pour vous
          inscrire.
        </p>
      ) : registration ? (
        <>
          <p>
            {registration.status === "confirmed" ? (
              <strong>Vous êtes inscrit·e.</strong>
            ) : (
              <strong>
                Vous êtes sur la liste d'attente, en position {registration.position}.
              </strong>
            )}
          </p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="visibility" />
            <div className="choices">
              <label>
                <input
                  type="checkbox"
                  name="showPublicly"
                  defaultChecked={registration.showPublicly}
                />
                Afficher mon nom dans la liste publique des participants
              </label>
            </div>
            <div>
              <button type="submit" className="secondary button--small" disabled={busy}>
                Enregistrer ce choix
              </button>
            </div>
          </Form>
          {status !== "cancelled" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="danger" disabled={busy}>
                Annuler mon inscription
              </button>
            </Form>
          ) : null}
        </>
      ) : open ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="register" />
          <div className="choices">
            <label>
              <input type="checkbox" name="showPublicly" />
              Afficher mon nom dans la liste publique des participants
            </label>
          </div>
          <div>
            <button type="submit" disabled={busy}>
              {placesLeft === 0 ? "M'inscrire sur la liste d'attente" : "M'inscrire"}
            </button>
          </div>
        </Form>
      ) : (
        <p>Les inscriptions sont fermées.</p>
      )}
      <p>
        <PlacesLeft placesLeft={placesLeft} status={status} />
      </p>
    </section>
  );
}
