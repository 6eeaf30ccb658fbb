import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { Notice } from "~/components/notice";
import { deleteAccount } from "~/models/account-lifecycle.server";
import { getProfile, searchAccounts, setRoles } from "~/models/accounts.server";
import { createSession, requireRole } from "~/utils/auth.server";
import { z } from "~/utils/validation";

import { roles } from "../../db/schema/accounts";

const grantable = roles.filter((role) => role !== "member");
const roleLabels: Record<(typeof grantable)[number], string> = {
  organiser: "Organisation d'événements",
  moderator: "Modération",
  jury: "Jury du label",
  admin: "Administration",
};

const RolesSchema = z.object({
  userId: z.string().min(1).max(64),
  roles: z.array(z.enum(grantable)).max(grantable.length),
});
const DeleteSchema = z.object({
  userId: z.string().min(1).max(64),
  confirmEmail: z.string().trim().max(254),
});

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const q = (new URL(args.request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { accounts: await searchAccounts(q) };
}

type ActionData = { message: string; error?: boolean };
const reply = (message: string, status = 200, headers?: HeadersInit) =>
  json<ActionData>({ message, error: status >= 400 }, { status, headers });

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  const formData = await args.request.formData();
  if (formData.get("intent") === "delete-account") return deleteOther(admin.id, formData);
  const parsed = RolesSchema.safeParse({
    userId: formData.get("userId"),
    roles: formData.getAll("roles"),
  });
  if (!parsed.success) return reply("Rôles invalides.", 400);
  if (parsed.data.userId === admin.id && !parsed.data.roles.includes("admin")) {
    return reply("Vous ne pouvez pas retirer votre propre rôle d'administration.", 400);
  }
  const updated = await setRoles(parsed.data.userId, parsed.data.roles);
  if (!updated) throw new Response("Compte introuvable.", { status: 404 });
  // Changing one's own roles ended one's sessions too: carry on in a new one.
  const headers =
    parsed.data.userId === admin.id ? { "Set-Cookie": await createSession(admin.id) } : undefined;
  return reply(
    "Rôles enregistrés. Si ses rôles ont changé, la personne doit se reconnecter : ses sessions sont fermées.",
    200,
    headers,
  );
}

/**
 * An admin deletes someone else's account (a departed élu, on request), confirmed by typing the
 * account's email: the same deletion as the person's own, from /compte.
 */
async function deleteOther(adminId: string, formData: FormData) {
  const parsed = DeleteSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return reply("Demande de suppression invalide.", 400);
  if (parsed.data.userId === adminId) {
    return reply("Votre propre compte se supprime depuis « Mon compte ».", 400);
  }
  const profile = await getProfile(parsed.data.userId);
  if (!profile) throw new Response("Compte introuvable.", { status: 404 });
  if (parsed.data.confirmEmail.toLowerCase() !== profile.email.toLowerCase()) {
    return reply(
      `Confirmation incorrecte : saisissez l'adresse électronique du compte de ${profile.name}.`,
      400,
    );
  }
  await deleteAccount(profile.id);
  return reply(`Le compte de ${profile.name} est supprimé.`);
}

export const meta: MetaFunction = () => [{ title: "Membres et rôles — Territoires Internet" }];

export default function AdminMembers() {
  const { accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="container stack">
      <AdminNav />
      <h1>Membres et rôles</h1>
      {result?.message ? (
        <Notice kind={result.error ? "error" : "info"}>{result.message}</Notice>
      ) : null}
      <Form method="get" role="search" className="card actions">
        <label htmlFor="q">Nom ou adresse électronique</label>
        <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} />
        <button type="submit">Rechercher</button>
      </Form>
      {accounts.length === 0 ? (
        <p>Aucun compte ne correspond.</p>
      ) : (
        <ul className="list-plain">
          {accounts.map((account) => (
            <li key={account.id} className="card">
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="roles" />
                <input type="hidden" name="userId" value={account.id} />
                <fieldset>
                  <legend>
                    {account.name} — {account.email}
                    {account.collectivityName ? ` — ${account.collectivityName}` : ""}
                  </legend>
                  <div className="choices">
                    {grantable.map((role) => (
                      <label key={role}>
                        <input
                          type="checkbox"
                          name="roles"
                          value={role}
                          defaultChecked={account.roles.includes(role)}
                        />
                        {roleLabels[role]}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <div>
                  <button type="submit" className="button--small">
                    Enregistrer les rôles <span className="visually-hidden">de {account.name}</span>
                  </button>
                </div>
              </Form>
              <details>
                <summary>
                  Supprimer le compte <span className="visually-hidden">de {account.name}</span>
                </summary>
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="delete-account" />
                  <input type="hidden" name="userId" value={account.id} />
                  <p>
                    Profil, sessions, jetons et inscriptions sont supprimés ; ses contributions
                    publiques restent, attribuées à « ancien membre ». C'est définitif.
                  </p>
                  <div className="field">
                    <label htmlFor={`confirmer-${account.id}`}>
                      Pour confirmer, saisissez l'adresse électronique du compte
                    </label>
                    <input
                      id={`confirmer-${account.id}`}
                      name="confirmEmail"
                      type="email"
                      autoComplete="off"
                      required
                    />
                  </div>
                  <div>
                    <button type="submit" className="danger button--small">
                      Supprimer définitivement{" "}
                      <span className="visually-hidden">le compte de {account.name}</span>
                    </button>
                  </div>
                </Form>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
