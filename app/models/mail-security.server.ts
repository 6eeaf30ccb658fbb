import { eq } from "drizzle-orm";

import { db } from "../../db/client";
import { users, type Role } from "../../db/schema";
import { newDeviceMail } from "../mail/templates.server";
import { describeClient } from "../utils/user-agent";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";

/** The roles whose accounts are worth taking over: their owners hear of every new device. */
const WATCHED_ROLES: Role[] = ["admin", "moderator", "jury"];

/** Queues the new-device mail when the account holds a watched role; returns whether it did. */
export async function alertNewDevice(
  userId: string,
  login: { at: Date; userAgent: string | null },
) {
  const [account] = await db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .where(eq(users.id, userId));
  if (!account?.roles.some((role) => WATCHED_ROLES.includes(role))) return false;
  const mail = newDeviceMail({
    recipient: account,
    at: login.at,
    client: describeClient(login.userAgent),
    links: mailLinks(),
  });
  return (await enqueueMail(db, mail)) > 0;
}
