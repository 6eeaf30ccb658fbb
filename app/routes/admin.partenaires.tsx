import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { PartnerForm } from "~/components/partner-form";
import { createPartner, listPartners } from "~/models/organisations.server";
import { requireRole } from "~/utils/auth.server";
import { collegeLabels, partnerKindLabels, PartnerSchema } from "~/utils/council-schemas";

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  return { partners: await listPartners() };
}

export async function action(args: ActionFunctionArgs) {
  requireRole(args, "admin");
  const submission = parseWithZod(await args.request.formData(), { schema: PartnerSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const created = await createPartner(submission.value);
  if (!created.ok) {
    return json(
      {
        result: submission.reply({
          fieldErrors: created.fieldErrors,
          formErrors: created.formError ? [created.formError] : undefined,
        }),
      },
      { status: created.status === 409 ? 400 : created.status },
    );
  }
  return redirect(`/partenaires/${created.value.slug}`);
}

export const meta: MetaFunction = () => [
  { title: "Organisations partenaires — Territoires Internet" },
];

export default function AdminPartners() {
  const { partners } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="container stack">
      <AdminNav />
      <h1>Organisations partenaires</h1>
      {partners.length === 0 ? (
        <p>Aucune organisation partenaire : ajoutez la première ci-dessous.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Type</th>
                <th scope="col">Collège</th>
                <th scope="col">Siren</th>
              </tr>
            </thead>
            <tbody>
              {partners.map((p) => (
                <tr key={p.slug}>
                  <th scope="row">
                    <Link to={`/admin/partenaires/${p.slug}`}>{p.name}</Link>
                  </th>
                  <td>{partnerKindLabels[p.kind]}</td>
                  <td>{collegeLabels[p.college]}</td>
                  <td>{p.siren ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card stack" aria-labelledby="nouveau">
        <h2 id="nouveau">Nouvelle organisation partenaire</h2>
        <PartnerForm id="nouveau-partenaire" lastResult={data?.result} submitLabel="Ajouter" />
      </section>
    </div>
  );
}
