import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Field, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import { checkReceipt } from "~/models/council-votes.server";
import { ReceiptSchema } from "~/utils/council-schemas";
import { formatDateTime } from "~/utils/dates";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited } from "~/utils/replies.server";

type Outcome =
  | { status: "unknown" }
  | { status: "sealed"; voteTitle: string; closesAt: string }
  | {
      status: "counted";
      voteId: string;
      voteTitle: string;
      receiptHash: string;
      choices: string[];
    };

/**
 * Anyone may paste a receipt: its holder reads "bulletin compté" and the choices; a wrong
 * receipt reads that nothing matches, and nothing else. POST, so receipts stay out of URLs.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ReceiptSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply(), outcome: null }, { status: 400 });
  }
  const limited = await limitReached("council-receipt", context.clientIp);
  if (limited) return formRateLimited(limited, submission, { extra: { outcome: null } });
  const checked = await checkReceipt(submission.value.receipt);
  const outcome: Outcome =
    checked.status === "sealed"
      ? { ...checked, closesAt: formatDateTime(checked.closesAt) }
      : checked;
  return json({ result: submission.reply({ resetForm: true }), outcome });
}

export const meta: MetaFunction = () => [
  { title: "Vérifier un reçu de vote — Conseil des partenaires" },
];

export default function ReceiptCheckPage() {
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "verifier-recu",
    lastResult: data?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReceiptSchema }),
  });
  const outcome = data?.outcome ?? null;
  return (
    <div className="narrow stack">
      <Breadcrumb
        trail={[{ to: "/conseil", label: "Conseil des partenaires" }]}
        current="Vérifier un reçu"
      />
      <h1>Vérifier un reçu de vote</h1>
      <p>
        Le ou la référent·e qui a voté pour une organisation a reçu un reçu secret. Collez-le ici
        pour vérifier que le bulletin a été compté, et avec quels choix.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field label="Reçu" meta={fields.receipt} autoComplete="off" />
        <button type="submit">Vérifier</button>
      </Form>
      <div aria-live="polite">
        {outcome?.status === "counted" ? (
          <Notice kind="success" className="stack">
            <p>
              <strong>Bulletin compté</strong> pour le vote « {outcome.voteTitle} ».
            </p>
            <p>Sujets approuvés :</p>
            <ul>
              {outcome.choices.map((title) => (
                <li key={title}>{title}</li>
              ))}
            </ul>
            <p>
              Dans la <Link to={`/conseil/votes/${outcome.voteId}`}>liste publiée</Link>, ce
              bulletin porte l'empreinte <code>{outcome.receiptHash}</code>.
            </p>
          </Notice>
        ) : null}
        {outcome?.status === "sealed" ? (
          <Notice kind="info">
            Le vote « {outcome.voteTitle} » n'est pas encore clos : le dépouillement aura lieu le{" "}
            {outcome.closesAt}. Revenez après la clôture.
          </Notice>
        ) : null}
        {outcome?.status === "unknown" ? (
          <Notice kind="warning">
            Aucun bulletin ne correspond à ce reçu (un bulletin remplacé par un autre de la même
            organisation a un nouveau reçu).
          </Notice>
        ) : null}
      </div>
    </div>
  );
}
