import { getWorkingGroup, mayRunGroup } from "../models/groups.server";
import { requireUser, type AuthState } from "./auth.server";
import { invariantResponse } from "./replies.server";

/** For the coordination's pages (meetings, outputs): the signed-in runner and the group, or 404/403. */
export async function requireGroupRunner(args: {
  request: Request;
  context: { auth: AuthState };
  params: { id?: string };
}) {
  const user = requireUser(args);
  const group = await getWorkingGroup(args.params.id ?? "");
  invariantResponse(group, "Groupe de travail introuvable.");
  invariantResponse(
    mayRunGroup(user, group),
    "Réservé à la coordination du groupe et à l'administration.",
    403,
  );
  return { user, group };
}
