import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { InitiativeForm } from "~/components/initiative-form";
import { creditableMembers } from "~/models/initiative-contributors.server";
import { deleteInitiative } from "~/models/initiative-writes.server";
import { getInitiative } from "~/models/initiatives.server";
import { hasRole, requirePublisher, requireUser, type AuthUser } from "~/utils/auth.server";
import { formDefaults, handleInitiativeForm } from "~/utils/initiative-form.server";
import { invariantResponse } from "~/utils/replies.server";

/** 404 when the viewer may not see it, 403 when they see it but may not change it. */
async function editable(user: AuthUser, slug: string) {
  const initiative = await getInitiative({ slug, viewer: user });
  invariantResponse(initiative, "Initiative introuvable.");
  invariantResponse(
    initiative.canEdit,
    "Seuls les membres validés de cette collectivité peuvent modifier cette initiative.",
    403,
  );
  return initiative;
}

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const initiative = await editable(user, args.params.slug ?? "");
  return {
    slug: initiative.slug,
    title: initiative.title,
    collectivityName: initiative.collectivityName,
    defaults: formDefaults(initiative),
    version: initiative.version,
    members: await creditableMembers(initiative.collectivityCode),
    isAdmin: hasRole(user, "admin"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const initiative = await editable(user, args.params.slug ?? "");
  const formData = await args.request.formData();
  if (formData.get("intent") === "delete") {
    const deleted = await deleteInitiative(user, { id: initiative.id });
    // Checked just above: only a concurrent deletion gets here.
    invariantResponse(deleted.ok, "Initiative introuvable.");
    return redirect("/initiatives/brouillons?supprimee=1");
  }
  const members = await creditableMembers(initiative.collectivityCode);
  return handleInitiativeForm(user, formData, { mode: "edit", id: initiative.id }, members);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Modifier « ${data.title} » — Territoires Internet` : "Initiative introuvable" },
];

export default function EditInitiativePage() {
  const { slug, title, collectivityName, defaults, version, members, isAdmin } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="container stack">
      <h1>Modifier « {title} »</h1>
      <p className="muted">Initiative de {collectivityName}.</p>
      <InitiativeForm
        id="modifier-initiative"
        mode="edit"
        defaults={defaults}
        version={data?.version ?? version}
        lastResult={data?.result}
        previewHtml={data?.previewHtml}
        members={members}
        isAdmin={isAdmin}
        cancelTo={`/initiatives/${slug}`}
      />
      <section className="card stack" aria-labelledby="supprimer">
        <h2 id="supprimer">Supprimer l'initiative</h2>
        <p>
          La suppression est définitive. Pour la retirer sans la perdre, choisissez plutôt le statut
          « Archivée ».
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger">
            Supprimer définitivement
          </button>
        </Form>
      </section>
    </div>
  );
}
