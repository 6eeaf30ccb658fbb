import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { InitiativeForm } from "~/components/initiative-form";
import { Notice } from "~/components/notice";
import { approvedCollectivityOf, getCollectivity } from "~/models/collectivities.server";
import { creditableMembers } from "~/models/initiative-contributors.server";
import { hasRole, requirePublisher, requireUser } from "~/utils/auth.server";
import { handleInitiativeForm } from "~/utils/initiative-form.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const code = await approvedCollectivityOf(user.id);
  const isAdmin = hasRole(user, "admin");
  const collectivity = code ? await getCollectivity(code) : null;
  const members = code ? await creditableMembers(code) : [];
  const inspiredBy = new URL(args.request.url).searchParams.get("inspireeDe");
  return {
    collectivityName: collectivity?.name ?? null,
    canPublish: Boolean(code) || isAdmin,
    isAdmin,
    members,
    inspiredBy: inspiredBy ? `/initiatives/${inspiredBy}` : "",
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const code = await approvedCollectivityOf(user.id);
  const members = code ? await creditableMembers(code) : [];
  return handleInitiativeForm(user, await args.request.formData(), { mode: "create" }, members);
}

export const meta: MetaFunction = () => [
  { title: "Partager une initiative — Territoires Internet" },
];

export default function NewInitiativePage() {
  const { collectivityName, canPublish, isAdmin, members, inspiredBy } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  if (!canPublish) {
    return (
      <div className="narrow stack">
        <h1>Partager une initiative</h1>
        <Notice kind="info">
          Seuls les membres validés d'une collectivité peuvent publier ses initiatives. Votre
          adhésion est peut-être en attente : le ou la référent·e de votre collectivité la validera
          bientôt.
        </Notice>
        <p>
          <Link to="/initiatives">Parcourir les initiatives</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="container stack">
      <h1>Partager une initiative</h1>
      <p className="muted">
        {collectivityName ? `Au nom de ${collectivityName}. ` : null}
        Enregistrez un brouillon à tout moment : il reste visible par votre collectivité seule
        jusqu'à sa publication.
      </p>
      <InitiativeForm
        id="nouvelle-initiative"
        mode="create"
        defaults={{ inspiredBy, status: "draft" }}
        lastResult={data?.result}
        previewHtml={data?.previewHtml}
        members={members}
        isAdmin={isAdmin}
        cancelTo="/initiatives"
      />
    </div>
  );
}
