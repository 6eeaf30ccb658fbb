import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { searchAccounts, setRoles } from "~/models/accounts.server";
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

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const q = (new URL(args.request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { accounts: await searchAccounts(q) };
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  const formData = await args.request.formData();
  const parsed = RolesSchema.safeParse({
    userId: formData.get("userId"),
    roles: formData.getAll("roles"),
  });
  if (!parsed.success) return json({ message: "Rôles invalides." }, { status: 400 });
  if (parsed.data.userId === admin.id && !parsed.data.roles.includes("admin")) {
    return json(
      { message: "Vous ne pouvez pas retirer votre propre rôle d'administration." },
      { status: 400 },
    );
  }
  const updated = await setRoles(parsed.data.userId, parsed.data.roles);
  if (!updated) throw new Response("Compte introuvable.", { status: 404 });
  // Changing one's own roles ended one's sessions too: carry on in a new one.
  const headers =
    parsed.data.userId === admin.id ? { "Set-Cookie": await createSession(admin.id) } : undefined;
  return json(
    {
      message:
        "Rôles enregistrés. Si ses rôles ont changé, la personne doit se reconnecter : ses sessions sont fermées.",
    },
    { headers },
  );
}

export const meta: MetaFunction = () => [{ title: "Membres et rôles — Territoires Internet" }];

export default function AdminMembers() {
  const { accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="container stack">
      <h1>Membres et rôles</h1>
      <p>
        <Link to="/admin/adhesions">Adhésions en attente</Link>
      </p>
      {result?.message ? (
        <div className="alert alert--info" role="status">
          {result.message}
        </div>
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
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
