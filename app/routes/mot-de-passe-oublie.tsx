import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";

import { Field, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { passwordResetLimitKey, requestPasswordReset } from "~/models/password-resets.server";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited } from "~/utils/replies.server";
import { emailSchema, z } from "~/utils/validation";

const ForgotSchema = z.object({ email: emailSchema });

/**
 * The request only records the address: whether it has an account or not, the answer is the
 * same redirect, as fast (the mail worker does the rest).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const { email } = submission.value;
  const limited =
    (await limitReached("password-reset-ip", context.clientIp)) ??
    (await limitReached("password-reset-email", passwordResetLimitKey(email)));
  if (limited) return formRateLimited(limited, submission);
  await requestPasswordReset(email);
  return redirect("/mot-de-passe-oublie?envoye=1");
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Territoires Internet" }];

export default function ForgotPasswordPage() {
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "mot-de-passe-oublie",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
  });
  return (
    <div className="narrow stack">
      <h1>Mot de passe oublié</h1>
      {searchParams.has("envoye") ? (
        <Notice kind="success">
          Si un compte correspond à cette adresse, un courriel vient de lui être envoyé avec un lien
          pour choisir un nouveau mot de passe. Ce lien est valable une heure. Pensez à regarder
          dans les indésirables.
        </Notice>
      ) : null}
      <p>
        Indiquez l'adresse électronique de votre compte : nous vous enverrons un lien pour choisir
        un nouveau mot de passe.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field label="Adresse électronique" meta={fields.email} type="email" autoComplete="email" />
        <div>
          <button type="submit">Recevoir le lien</button>
        </div>
      </Form>
      <p>
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </div>
  );
}
