import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Field, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import {
  EXPIRED_LINK,
  isPasswordResetTokenValid,
  resetPassword,
} from "~/models/password-resets.server";
import { PASSWORD_MIN_LENGTH, passwordSchema, z } from "~/utils/validation";

const ResetSchema = z.object({ password: passwordSchema });

/** The link of the reset mail. A spent or expired link says so (410), never a 500. */
export async function loader({ params }: LoaderFunctionArgs) {
  const valid = await isPasswordResetTokenValid(params.token ?? "");
  return json({ valid }, { status: valid ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const done = await resetPassword(params.token ?? "", submission.value.password);
  if (!done.ok) {
    return json(
      {
        result: submission.reply({
          formErrors: [done.formError ?? EXPIRED_LINK],
          hideFields: ["password"],
        }),
      },
      { status: done.status },
    );
  }
  return redirect("/connexion?motDePasse=change");
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [
  { title: "Nouveau mot de passe — Territoires Internet" },
  // The token is in the address: no search engine, no referrer.
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export default function ResetPasswordPage() {
  const { valid } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "nouveau-mot-de-passe",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetSchema }),
  });
  if (!valid) {
    return (
      <div className="narrow stack">
        <h1>Nouveau mot de passe</h1>
        <Notice kind="error">{EXPIRED_LINK}</Notice>
        <p>
          <Link to="/mot-de-passe-oublie">Demander un nouveau lien</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow stack">
      <h1>Nouveau mot de passe</h1>
      <p>Choisissez le nouveau mot de passe de votre compte. Toutes vos sessions seront fermées.</p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field
          label="Nouveau mot de passe"
          meta={fields.password}
          type="password"
          autoComplete="new-password"
          hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères ; une phrase de plusieurs mots est plus sûre et plus facile à retenir.`}
        />
        <div>
          <button type="submit">Enregistrer le mot de passe</button>
        </div>
      </Form>
    </div>
  );
}
