import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { SentInvitations } from "~/components/collectivity-invitations";
import { Field, FormErrors, TextareaField } from "~/components/forms";
import { Notice } from "~/components/notice";
import { approvedCollectivityOf, getCollectivity } from "~/models/collectivities.server";
import { invitationsOf, inviteCollectivity, withdrawInvitation } from "~/models/invitations.server";
import { requirePublisher, requireUser } from "~/utils/auth.server";
import { consume } from "~/utils/rate-limit.server";
import { invariantResponse, submitForm } from "~/utils/replies.server";
import { emailSchema, z } from "~/utils/validation";

const InviteSchema = z.object({
  intent: z.literal("invite"),
  toCollectivityCode: z
    .string({ error: "Choisissez la collectivité à inviter depuis l'annuaire." })
    .trim()
    .max(20),
  email: emailSchema,
  message: z
    .string()
    .trim()
    .max(1000, "Le message ne peut pas dépasser 1 000 caractères.")
    .default(""),
});
const WithdrawSchema = z.object({ intent: z.literal("withdraw"), id: z.string().max(64) });

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const code = new URL(args.request.url).searchParams.get("vers") ?? "";
  const [target, own] = await Promise.all([
    code ? getCollectivity(code) : null,
    approvedCollectivityOf(user.id),
  ]);
  const sent = own ? await invitationsOf(user, own) : null;
  return {
    target: target ? { code: target.code, name: target.name } : null,
    canInvite: own !== null && user.emailVerified,
    sent: sent ?? [],
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const formData = await args.request.formData();
  if (formData.get("intent") === "withdraw") {
    const parsed = WithdrawSchema.safeParse(Object.fromEntries(formData));
    invariantResponse(parsed.success, "Invitation introuvable.");
    // Not the inviter's, already used or withdrawn: the same answer.
    invariantResponse(await withdrawInvitation(user, parsed.data.id), "Invitation introuvable.");
    return redirect("/invitations?retiree=1");
  }
  return submitForm(
    formData,
    InviteSchema,
    async (value) => {
      await consume("invitation-send", user.id);
      return inviteCollectivity(user, value);
    },
    { done: () => "/invitations?envoyee=1" },
  );
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [
  { title: "Invitez une commune voisine — Territoires Internet" },
];

export default function InvitationsPage() {
  const { target, canInvite, sent } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "invitation",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
  });
  const notice = params.get("envoyee")
    ? "Invitation envoyée : elle est valable 30 jours."
    : params.get("retiree")
      ? "Invitation retirée : son lien ne sert plus."
      : null;
  return (
    <div className="container stack">
      <h1>Invitez une commune voisine</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {!canInvite ? (
        <p>Seuls les membres validés d'une collectivité, à l'adresse confirmée, peuvent inviter.</p>
      ) : target ? (
        <Form method="post" className="card stack narrow" {...getFormProps(form)} noValidate>
          <h2>Inviter une personne de {target.name}</h2>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="intent" value="invite" />
          <input
            {...getInputProps(fields.toCollectivityCode, { type: "hidden" })}
            key={fields.toCollectivityCode.key}
            value={target.code}
          />
          <Field label="Son adresse électronique" meta={fields.email} type="email" />
          <TextareaField
            label="Votre message (facultatif)"
            meta={fields.message}
            rows={4}
            hint="Il figurera dans le courriel, tel quel. 1 000 caractères au plus."
          />
          <div>
            <button type="submit">Envoyer l'invitation</button>
          </div>
        </Form>
      ) : (
        <p>
          Choisissez la collectivité à inviter dans l'
          <Link to="/annuaire?network=non">annuaire</Link> ou parmi les communes voisines de la page
          de votre collectivité.
        </p>
      )}
      <SentInvitations invitations={sent} />
    </div>
  );
}
