import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { personalDataColumns } from "../../app/models/account-lifecycle.server";
import { reportPost } from "../../app/models/forum-moderation.server";
import { editPost } from "../../app/models/forum-posts.server";
import { markRead, setFollowLevel } from "../../app/models/forum-reading.server";
import { db } from "../../db/client";
import { notifications, users } from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { connect, nextEvent } from "../helpers/sockets";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

/** Account deletion and the data export (issue 10, items 18 and 19; RELIABILITY 37, 38). */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => app.close());

async function deleteAs(adminCookie: string, userId: string, confirmEmail: string) {
  return app.request("/admin/membres", {
    ...form({ intent: "delete-account", userId, confirmEmail }),
    cookie: adminCookie,
  });
}

describe("suppression d'un compte (RELIABILITY 38)", () => {
  test("les notifications des autres ne gardent pas le nom de la personne supprimée", async () => {
    const author = await createTestUser({ name: "Gaëlle Partante" });
    const reader = await createTestUser();
    const topic = await openTopic(reader);
    await reply(author, topic.topicId, "Une réponse avant de partir.");
    const page = async () =>
      (await app.request("/notifications", { cookie: await loginCookie(reader.id) })).text();
    expect(await page()).toContain("Gaëlle Partante a répondu");

    const admin = await createTestUser({ roles: ["admin"] });
    expect((await deleteAs(await loginCookie(admin.id), author.id, author.email)).status).toBe(200);
    const html = await page();
    expect(html).not.toContain("Gaëlle Partante");
    expect(html).toContain("ancien membre a répondu");
    // Not hidden at display only: the stored rows hold no trace of the name either.
    const stored = await db.select().from(notifications).where(eq(notifications.userId, reader.id));
    expect(JSON.stringify(stored)).not.toContain("Gaëlle Partante");
  });

  test("un administrateur supprime le compte d'un autre, après confirmation par son adresse", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const departed = await createTestUser({ name: "Élu Sortant" });
    const adminCookie = await loginCookie(admin.id);
    const page = await (
      await app.request(`/admin/membres?q=${departed.email}`, { cookie: adminCookie })
    ).text();
    expect(page).toContain("Supprimer le compte");

    const wrong = await deleteAs(adminCookie, departed.id, "autre@exemple.fr");
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Confirmation incorrecte");
    expect(await db.select().from(users).where(eq(users.id, departed.id))).toHaveLength(1);

    const member = await createTestUser();
    const byMember = await deleteAs(await loginCookie(member.id), departed.id, departed.email);
    expect(byMember.status).toBe(403);

    const done = await deleteAs(adminCookie, departed.id, departed.email.toUpperCase());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Le compte de Élu Sortant est supprimé.");
    expect(await db.select().from(users).where(eq(users.id, departed.id))).toHaveLength(0);
  });

  test("un administrateur ne supprime pas son propre compte depuis l'administration", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const response = await deleteAs(await loginCookie(admin.id), admin.id, admin.email);
    expect(response.status).toBe(400);
    expect(await db.select().from(users).where(eq(users.id, admin.id))).toHaveLength(1);
  });

  test("la suppression ferme les sockets de la personne (elle quitte ses salons)", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const leaving = await createTestUser();
    const socket = await connect(app, { cookie: await loginCookie(leaving.id) });
    const ended = nextEvent<{ reason: string }>(socket, "session:ended");
    const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));
    await deleteAs(await loginCookie(admin.id), leaving.id, leaving.email);
    expect((await ended).reason).toBe("deleted");
    await disconnected;
    expect(socket.connected).toBe(false);
    const sockets = await realtime()!.in(rooms.user(leaving.id)).fetchSockets();
    expect(sockets).toHaveLength(0);
  });

  test("l'adresse secrète de son agenda ne sert plus après la suppression", async () => {
    const leaving = await createTestUser();
    const created = await app.request("/evenements/mes-evenements", {
      ...form({ intent: "create-calendar" }),
      cookie: await loginCookie(leaving.id),
    });
    const feed = /\/evenements\/calendrier\.ics\?jeton=[a-z2-7]+/.exec(await created.text())?.[0];
    expect(feed).toBeTruthy();
    expect((await app.request(feed!)).status).toBe(200);
    const admin = await createTestUser({ roles: ["admin"] });
    await deleteAs(await loginCookie(admin.id), leaving.id, leaving.email);
    expect((await app.request(feed!)).status).toBe(404);
  });
});

describe("export des données (RELIABILITY 37)", () => {
  /** Every column that references users.id, read from the database itself. */
  async function columnsReferencingUsers() {
    const rows = await db.execute<{ table_name: string; column_name: string }>(sql`
      select kcu.table_name, kcu.column_name
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema
      join information_schema.key_column_usage target
        on target.constraint_name = rc.unique_constraint_name
       and target.constraint_schema = rc.unique_constraint_schema
       and target.ordinal_position = kcu.position_in_unique_constraint
      where target.table_name = 'users' and target.column_name = 'id'
      order by 1, 2`);
    return rows.map((row) => `${row.table_name}.${row.column_name}`);
  }

  const sectionOf = (data: unknown, path: string) =>
    path
      .split(".")
      .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], data);

  test("chaque colonne qui désigne une personne est exportée, ou écartée pour une raison dite", async () => {
    const columns = await columnsReferencingUsers();
    expect(columns.length).toBeGreaterThan(15);
    const undeclared = columns.filter((column) => !(column in personalDataColumns));
    expect(undeclared, "colonnes à ajouter à personalDataColumns").toEqual([]);
    const stale = Object.keys(personalDataColumns).filter((column) => !columns.includes(column));
    expect(stale, "colonnes qui n'existent plus").toEqual([]);
  });

  test("l'export contient chaque ligne des tables qui désignent la personne", async () => {
    const me = await createTestUser({ name: "Personne Exportée" });
    const other = await createTestUser();
    const cookie = await loginCookie(me.id);
    await apiToken(me.id);
    const mine = await openTopic(me);
    const myPost = await reply(me, mine.topicId, "Ma réponse, puis corrigée.");
    expect((await editPost(me, myPost, "Ma réponse corrigée.")).ok).toBe(true);
    await markRead(me.id, mine.topicId, myPost);
    await setFollowLevel(me, { topicId: mine.topicId }, "watching");
    const theirs = await openTopic(other);
    const theirPost = await reply(other, theirs.topicId, "Un message à signaler.");
    expect((await reportPost(me, theirPost, "Hors sujet pour ce forum.")).ok).toBe(true);
    // Someone answers in my topic: I get a notification.
    await reply(other, mine.topicId, "Une réponse pour vous.");
    await app.request("/evenements/mes-evenements", {
      ...form({ intent: "create-calendar" }),
      cookie,
    });

    const response = await app.request("/compte/export", { cookie });
    const data = (await response.json()) as Record<string, unknown>;
    const counted: string[] = [];
    for (const [column, rule] of Object.entries(personalDataColumns)) {
      if (!("section" in rule)) continue;
      const [table, name] = column.split(".");
      const [row] = await db.execute<{ total: number }>(
        sql`select count(*)::int as total from ${sql.identifier(table!)} where ${sql.identifier(name!)} = ${me.id}`,
      );
      const section = sectionOf(data, rule.section);
      expect(Array.isArray(section), `section ${rule.section}`).toBe(true);
      expect((section as unknown[]).length, `${column} → ${rule.section}`).toBe(row!.total);
      if (row!.total > 0) counted.push(column);
    }
    // The fixture reaches most tables: the comparison above is not only of empty sections.
    expect(counted).toEqual(
      expect.arrayContaining([
        "sessions.user_id",
        "api_tokens.user_id",
        "forum_posts.author_id",
        "forum_post_revisions.editor_id",
        "forum_follows.user_id",
        "forum_reports.reporter_id",
        "notifications.user_id",
        "event_calendar_tokens.user_id",
      ]),
    );
    expect(JSON.stringify(data)).not.toContain("argon2");
  });
});
