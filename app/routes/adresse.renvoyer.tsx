import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Notice } from "~/components/notice";
import { resendAddressVerification } from "~/models/account-emails.server";
import { requireUser } from "~/utils/auth.server";
import { limitReached } from "~/utils/rate-limit.server";
import { retryAfterHeaders } from "~/utils/replies.server";

/** The banner's "recevoir un nouveau lien": a page with one button, so it works without JS. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  return { email: user.email, verified: user.emailVerified };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  if (user.emailVerified) {
    return json({ error: null, message: "Votre adresse est déjà confirmée." });
  }
  const limited = await limitReached("address-verification-resend", user.id);
  if (limited) {
    return json(
      { error: limited.message, message: null },
      { status: 429, headers: retryAfterHeaders(limited) },
    );
  }
  await resendAddressVerification(user.id);
  return json({
    error: null,
    message: `Un nouveau lien vient d'être envoyé à ${user.email}. Les liens précédents ne servent plus.`,
  });
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [
  { title: "Confirmer votre adresse — Territoires Internet" },
];

export default function ResendVerificationPage() {
  const { email, verified } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="narrow stack">
      <h1>Confirmer votre adresse</h1>
      {data?.error ? <Notice kind="error">{data.error}</Notice> : null}
      {data?.message ? <Notice kind="success">{data.message}</Notice> : null}
      {verified ? (
        <p>
          Votre adresse {email} est confirmée. <Link to="/compte">Aller à mon compte</Link>
        </p>
      ) : (
        <>
          <p>
            Pour publier, suivez le lien envoyé à {email}. Rien reçu ? Vérifiez les indésirables, ou
            recevez un nouveau lien (trois par heure au plus). Une adresse erronée se corrige depuis{" "}
            <Link to="/compte">votre compte</Link>.
          </p>
          <Form method="post">
            <button type="submit">Recevoir un nouveau lien</button>
          </Form>
        </>
      )}
    </div>
  );
}
