import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Notice } from "~/components/notice";
import { readUnsubscribeToken, unsubscribe } from "~/models/mail-preferences.server";
import { scopeLabel } from "~/utils/notification-preferences";
import { invariantResponse } from "~/utils/replies.server";

/**
 * The unsubscribe link of every non-essential mail. No login: the signed token names its
 * recipient and what it stops, and acts for that recipient only. GET only asks (mail scanners
 * follow links); POST unsubscribes, from this page or straight from the mail client (RFC 8058
 * one-click, which server.ts lets through without an Origin).
 */

const INVALID =
  "Ce lien de désabonnement n'est pas valide. Gérez vos courriels depuis votre compte.";

export async function loader({ params }: LoaderFunctionArgs) {
  const read = await readUnsubscribeToken(params.token ?? "");
  invariantResponse(read, INVALID);
  return { what: scopeLabel(read.scope) };
}

export async function action({ params }: ActionFunctionArgs) {
  const done = await unsubscribe(params.token ?? "");
  invariantResponse(done, INVALID);
  return { what: scopeLabel(done.scope) };
}

export const meta: MetaFunction = () => [{ title: "Désabonnement — Territoires Internet" }];

export default function UnsubscribePage() {
  const { what } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return (
    <div className="container narrow stack">
      <h1>Se désabonner</h1>
      {done ? (
        <Notice kind="success">C'est fait : vous ne recevrez plus {done.what}.</Notice>
      ) : (
        <Form method="post" className="card stack">
          <p>Vous ne souhaitez plus recevoir {what} ?</p>
          <div>
            <button type="submit">Me désabonner</button>
          </div>
        </Form>
      )}
      <p>
        Vous pouvez changer d'avis à tout moment dans vos{" "}
        <Link to="/compte/notifications">préférences de courriels</Link> (connexion requise).
      </p>
    </div>
  );
}
