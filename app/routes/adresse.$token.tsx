import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Notice } from "~/components/notice";
import { EXPIRED_ADDRESS_LINK, followAddressLink } from "~/models/account-emails.server";
import { describeEmailToken } from "~/models/email-tokens.server";

/**
 * The page of every address link (sign-up confirmation, new address, undo). Opening it changes
 * nothing — mail scanners open links — the button does, once.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await describeEmailToken(params.token ?? "");
  return json({ link }, { status: link ? 200 : 410 });
}

export async function action({ params, context }: ActionFunctionArgs) {
  const { user, session } = context.auth;
  const viewer = user && session ? { userId: user.id, sessionId: session.id } : null;
  const done = await followAddressLink(params.token ?? "", viewer);
  if (!done.ok) {
    return json({ error: done.formError ?? EXPIRED_ADDRESS_LINK }, { status: done.status });
  }
  return redirect(`/adresse/resultat?issue=${done.value.outcome}`);
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [
  { title: "Adresse électronique — Territoires Internet" },
  // The token is in the address: no search engine, no referrer.
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

const texts = {
  verify: {
    title: "Confirmer votre adresse",
    body: (email: string) => `Confirmez que l'adresse ${email} est bien la vôtre.`,
    button: "Confirmer mon adresse",
  },
  change: {
    title: "Confirmer votre nouvelle adresse",
    body: (email: string) =>
      `Votre compte utilisera désormais l'adresse ${email}. Vos autres sessions seront fermées.`,
    button: "Confirmer ma nouvelle adresse",
  },
  undo: {
    title: "Annuler le changement d'adresse",
    body: (email: string) =>
      `Votre compte retrouvera l'adresse ${email} ; toutes les sessions seront fermées et les jetons d'API révoqués. Changez ensuite votre mot de passe.`,
    button: "Rétablir mon ancienne adresse",
  },
} as const;

export default function AddressLinkPage() {
  const { link } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  if (!link || data?.error) {
    return (
      <div className="narrow stack">
        <h1>Adresse électronique</h1>
        <Notice kind="error">{data?.error ?? EXPIRED_ADDRESS_LINK}</Notice>
        <p>
          <Link to="/compte">Aller à mon compte</Link>
        </p>
      </div>
    );
  }
  const text = texts[link.purpose];
  return (
    <div className="narrow stack">
      <h1>{text.title}</h1>
      <p>{text.body(link.email)}</p>
      <Form method="post">
        <button type="submit">{text.button}</button>
      </Form>
    </div>
  );
}
