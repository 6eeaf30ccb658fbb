import { createAccount, setRoles } from "../../app/models/accounts.server";
import { decideMembership } from "../../app/models/collectivities.server";
import { createApiToken, createSession } from "../../app/utils/auth.server";
import type { Role } from "../../db/schema";

let counter = 0;
export const TEST_PASSWORD = "une phrase de passe solide";

type Options = {
  collectivityCode?: string;
  roles?: Role[];
  approved?: boolean;
  referent?: boolean;
  name?: string;
  email?: string;
};

/** Creates a member through the model functions, as the app would. */
export async function createTestUser(options: Options = {}) {
  counter += 1;
  const email = options.email ?? `membre${counter}-${Date.now()}@exemple.fr`;
  const collectivityCode = options.collectivityCode ?? "56260";
  const created = await createAccount({
    email,
    password: TEST_PASSWORD,
    name: options.name ?? `Membre ${counter}`,
    jobTitle: "Chargée de mission numérique",
    profileKind: "agent",
    collectivityCode,
  });
  if (!created.ok) throw new Error(`createTestUser: ${JSON.stringify(created.fieldErrors)}`);
  const id = created.value.userId;
  if (options.roles) await setRoles(id, options.roles);
  const roles: Role[] = ["member", ...(options.roles ?? [])];
  const user = {
    id,
    email,
    name: options.name ?? `Membre ${counter}`,
    roles,
    profileKind: "agent" as const,
    jobTitle: "",
  };
  if (options.approved !== false) {
    const admin = { ...user, roles: ["admin"] as Role[] };
    await decideMembership(admin, collectivityCode, id, "approve");
    if (options.referent) await decideMembership(admin, collectivityCode, id, "make-referent");
  }
  return { ...user, collectivityCode };
}

/** A session cookie for the user, as if they had logged in. */
export async function loginCookie(userId: string) {
  const setCookie = await createSession(userId);
  return setCookie.split(";")[0] ?? "";
}

export async function apiToken(userId: string) {
  return (await createApiToken(userId, "tests")).token;
}
