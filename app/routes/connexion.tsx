import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";

import { Field, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { touchLastSeen, verifyCredentials } from "~/models/accounts.server";
import { alertNewDevice } from "~/models/mail-security.server";
import { createSession, safeRedirect } from "~/utils/auth.server";
import {
  countLoginFailure,
  countLoginSuccess,
  isKnownDevice,
  loginRefused,
} from "~/utils/login-guard.server";
import { formRateLimited } from "~/utils/replies.server";
import { PASSWORD_MAX_LENGTH, z } from "~/utils/validation";

const LoginSchema = z.object({
  email: z.string({ error: "L'adresse électronique est requise." }).trim().max(254).toLowerCase(),
  password: z
    .string({ error: "Le mot de passe est requis." })
    .max(
      PASSWORD_MAX_LENGTH,
      `Le mot de passe ne peut pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
    ),
  redirectTo: z.string().optional(),
});

const INVALID = "Adresse électronique ou mot de passe incorrect.";

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.auth.user) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/compte"));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: LoginSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const attempt = { email, ip: context.clientIp, cookieHeader: request.headers.get("Cookie") };
  const limited = await loginRefused(attempt);
  if (limited) return formRateLimited(limited, submission, { hideFields: ["password"] });
  const account = await verifyCredentials(email, password);
  if (!account) {
    await countLoginFailure(attempt);
    return json(
      { result: submission.reply({ formErrors: [INVALID], hideFields: ["password"] }) },
      { status: 400 },
    );
  }
  if (!(await isKnownDevice(attempt))) {
    await alertNewDevice(account.userId, {
      at: new Date(),
      userAgent: request.headers.get("User-Agent"),
    });
  }
  const device = await countLoginSuccess(attempt);
  await touchLastSeen(account.userId);
  const cookie = await createSession(account.userId, context.auth.session?.id);
  const headers = new Headers([
    ["Set-Cookie", cookie],
    ["Set-Cookie", device],
  ]);
  return redirect(safeRedirect(redirectTo, "/"), { headers });
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [{ title: "Se connecter — Territoires Internet" }];

export default function LoginPage() {
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "connexion",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <div className="narrow">
      <h1>Se connecter</h1>
      {searchParams.get("motDePasse") === "change" ? (
        <Notice kind="success">
          Votre mot de passe a été changé et toutes vos sessions ont été fermées. Connectez-vous
          avec le nouveau.
        </Notice>
      ) : null}
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field label="Adresse électronique" meta={fields.email} type="email" autoComplete="email" />
        <Field
          label="Mot de passe"
          meta={fields.password}
          type="password"
          autoComplete="current-password"
        />
        <button type="submit">Se connecter</button>
      </Form>
      <p>
        <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
      </p>
      <p>
        Pas encore de compte ? <Link to="/inscription">Rejoindre le réseau</Link>
      </p>
    </div>
  );
}
