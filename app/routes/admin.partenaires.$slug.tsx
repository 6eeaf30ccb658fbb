import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { PartnerForm } from "~/components/partner-form";
import { getPartner, updatePartner } from "~/models/organisations.server";
import { requireRole } from "~/utils/auth.server";
import { PartnerSchema } from "~/utils/council-schemas";
import { invariantResponse } from "~/utils/replies.server";

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const partner = await getPartner(args.params.slug ?? "");
  invariantResponse(partner, "Organisation introuvable.");
  return { partner };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const slug = args.params.slug ?? "";
  const submission = parseWithZod(await args.request.formData(), { schema: PartnerSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const updated = await updatePartner(slug, submission.value);
  if (!updated.ok) {
    invariantResponse(updated.status !== 404, "Organisation introuvable.");
    return json(
      { result: submission.reply({ fieldErrors: updated.fieldErrors }) },
      { status: 400 },
    );
  }
  return redirect(`/partenaires/${slug}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Modifier ${data.partner.name} — Territoires Internet` : "Introuvable" },
];

export default function EditPartner() {
  const { partner } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="container stack">
      <AdminNav />
      <p>
        <Link to="/admin/partenaires">← Organisations partenaires</Link>
      </p>
      <h1>Modifier {partner.name}</h1>
      <PartnerForm
        id="modifier-partenaire"
        lastResult={data?.result}
        submitLabel="Enregistrer"
        defaultValue={{
          name: partner.name,
          kind: partner.kind,
          college: partner.college,
          siren: partner.siren ?? "",
          website: partner.website ?? "",
          description: partner.description,
        }}
      />
    </div>
  );
}
