import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { decideMembership } from "../../app/models/collectivities.server";
import { db } from "../../db/client";
import { emailTokens, users } from "../../db/schema";
import { cookieFrom, form, startTestApp, type TestApp } from "../helpers/app";
import { prepareForums } from "../helpers/forums";
import { linkIn, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { apiToken, createTestUser, loginCookie, TEST_PASSWORD } from "../helpers/users";

/** Issue 12, item 2: the sign-up address is confirmed; an email change is confirmed and undoable. */

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let counter = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startTestApp({ SMTP_URL: smtp.url });
  await prepareForums();
});
afterAll(async () => {
  await app?.close();
  await smtp?.stop();
});

const receivedBy = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address.toLowerCase()));

/** The address link of the last mail that reached `address` over SMTP. */
async function mailedLink(address: string) {
  await sendQueuedMail();
  const mail = receivedBy(address).at(-1);
  if (!mail) throw new Error(`aucun courriel pour ${address}`);
  return { mail, path: new URL(linkIn(mail, `${app.origin}/adresse/`)).pathname };
}

const press = (path: string, cookie?: string) => app.request(path, { ...form({}), cookie });

async function signUp() {
  counter += 1;
  const email = `nouvelle${counter}-${Date.now()}@vannes.fr`;
  const response = await app.request(
    "/inscription",
    form({
      name: `Nouvelle Venue ${counter}`,
      email,
      password: TEST_PASSWORD,
      jobTitle: "Conseillère municipale",
      profileKind: "elu",
      collectivity: "56260",
    }),
  );
  expect(response.status).toBe(302);
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  // Approved at once, so that only the address stands between her and publishing.
  const admin = await createTestUser({ roles: ["admin"] });
  await decideMembership(admin, "56260", row!.id, "approve");
  // Approval ends the sign-up session (privileges changed): she signs in again.
  expect(cookieFrom(response)).toMatch(/^ti_session=/);
  return { id: row!.id, email, cookie: await loginCookie(row!.id) };
}

const newTopic = (cookie: string, title: string) =>
  app.request("/forums/vie-du-reseau/nouveau", {
    ...form({ title, body: "Bonjour à toutes et à tous, je me présente." }),
    cookie,
  });

describe("confirmation de l'adresse à l'inscription", () => {
  test("un compte non confirmé lit tout mais ne publie pas (403 en français) ; le lien le débloque une seule fois", async () => {
    const member = await signUp();
    const { mail, path } = await mailedLink(member.email);
    expect(mail.parsed.subject).toBe("Confirmez votre adresse électronique");
    expect(mail.parsed.html).toContain("Confirmer mon adresse");
    // Only the hash is stored.
    const [stored] = await db
      .select({ tokenHash: emailTokens.tokenHash })
      .from(emailTokens)
      .where(eq(emailTokens.userId, member.id));
    expect(path).not.toContain(stored!.tokenHash);

    // Reading works, with the banner and its resend link.
    const home = await app.request("/initiatives", { cookie: member.cookie });
    expect(home.status).toBe(200);
    const page = await home.text();
    expect(page).toContain("Confirmez votre adresse électronique pour publier");
    expect(page).toContain('href="/adresse/renvoyer"');
    expect((await app.request("/forums/vie-du-reseau", { cookie: member.cookie })).status).toBe(
      200,
    );
    // Publishing does not, by page or by API.
    const refused = await newTopic(member.cookie, "Un sujet trop tôt");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Confirmez d'abord votre adresse électronique");
    const api = await app.request("/api/v1/initiatives", {
      method: "POST",
      headers: {
        authorization: `Bearer ${await apiToken(member.id)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ title: "Une initiative" }),
    });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("email_unverified");

    // Opening the link changes nothing (mail scanners open links); the button does, once.
    expect((await app.request(path)).status).toBe(200);
    expect((await newTopic(member.cookie, "Toujours trop tôt")).status).toBe(403);
    const confirmed = await press(path);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe("/adresse/resultat?issue=verified");
    const again = await press(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Ce lien n'est plus valable");
    expect((await app.request(path)).status).toBe(410);

    const published = await newTopic(member.cookie, "Enfin un sujet");
    expect(published.status).toBe(302);
    const after = await (await app.request("/initiatives", { cookie: member.cookie })).text();
    expect(after).not.toContain("Confirmez votre adresse électronique pour publier");
  });

  test("« recevoir un nouveau lien » remplace le précédent, et se limite à 3 par heure", async () => {
    const member = await signUp();
    const { path: first } = await mailedLink(member.email);
    const resend = () => app.request("/adresse/renvoyer", { ...form({}), cookie: member.cookie });
    const sent = await resend();
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("Un nouveau lien vient d'être envoyé");
    const { path: second } = await mailedLink(member.email);
    expect(second).not.toBe(first);
    expect((await press(first)).status).toBe(410);
    expect((await resend()).status).toBe(200);
    expect((await resend()).status).toBe(200);
    const limited = await resend();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect(await limited.text()).toContain("Trop de tentatives");
    expect((await press(second)).status).toBe(410);
    expect((await press((await mailedLink(member.email)).path)).status).toBe(302);
  });

  test("les comptes existants, créés par l'administration ou la démonstration sont confirmés", async () => {
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const html = await (await app.request("/initiatives", { cookie })).text();
    expect(html).not.toContain("Confirmez votre adresse électronique pour publier");
    expect((await newTopic(cookie, "Un sujet d'un compte ancien")).status).toBe(302);
  });
});

describe("changement d'adresse électronique", () => {
  const emailOf = async (userId: string) =>
    (await db.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]?.email;

  async function askForChange(member: { name: string; email: string }, cookie: string) {
    const newEmail = `ailleurs-${member.email}`;
    const response = await app.request("/compte", {
      ...form({
        intent: "profile",
        name: member.name,
        email: newEmail,
        jobTitle: "",
        profileKind: "agent",
        currentPassword: TEST_PASSWORD,
      }),
      cookie,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`suivez le lien envoyé à ${newEmail}`);
    return newEmail;
  }

  test("la nouvelle adresse ne vaut qu'après son lien ; l'ancienne reçoit l'annulation, qui rétablit tout", async () => {
    const member = await createTestUser({ name: "Chloé Changeante" });
    const here = await loginCookie(member.id);
    const elsewhere = await loginCookie(member.id);
    const token = await apiToken(member.id);
    const newEmail = await askForChange(member, here);
    expect(await emailOf(member.id)).toBe(member.email);

    const { mail: confirmation, path } = await mailedLink(newEmail);
    expect(confirmation.parsed.subject).toBe("Confirmez votre nouvelle adresse électronique");
    expect(receivedBy(member.email)).toHaveLength(0);
    expect(await emailOf(member.id)).toBe(member.email);
    const confirmed = await press(path, here);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe("/adresse/resultat?issue=changed");
    expect(await emailOf(member.id)).toBe(newEmail);
    expect((await press(path, here)).status).toBe(410);
    // The rules of a new email stand: the other sessions and the API tokens end.
    expect((await app.request("/compte", { cookie: here })).status).toBe(200);
    expect((await app.request("/compte", { cookie: elsewhere })).status).toBe(302);
    const me = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);

    const { mail: notice, path: undo } = await mailedLink(member.email);
    expect(notice.parsed.subject).toBe("L'adresse de votre compte a changé");
    expect(notice.parsed.text).toContain(newEmail);
    expect(notice.parsed.text).toContain("Annuler ce changement");
    const restored = await press(undo);
    expect(restored.status).toBe(302);
    expect(restored.headers.get("location")).toBe("/adresse/resultat?issue=restored");
    expect(await emailOf(member.id)).toBe(member.email);
    // Whoever changed it keeps nothing: no session, no pending link.
    expect((await app.request("/compte", { cookie: here })).status).toBe(302);
    expect(
      await db.select().from(emailTokens).where(eq(emailTokens.userId, member.id)),
    ).toHaveLength(0);
    expect((await press(undo)).status).toBe(410);
  });

  test("le lien d'annulation ne vaut que 7 jours", async () => {
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const newEmail = await askForChange(member, cookie);
    expect((await press((await mailedLink(newEmail)).path, cookie)).status).toBe(302);
    const { path: undo } = await mailedLink(member.email);
    const [stored] = await db
      .select({ createdAt: emailTokens.createdAt, expiresAt: emailTokens.expiresAt })
      .from(emailTokens)
      .where(eq(emailTokens.userId, member.id));
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBeCloseTo(
      7 * 24 * 3_600_000,
      -4,
    );
    // Eight days later.
    await db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 24 * 3_600_000) })
      .where(eq(emailTokens.userId, member.id));
    const late = await press(undo);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain("Ce lien n'est plus valable");
    expect(await emailOf(member.id)).toBe(newEmail);
  });

  test("une adresse prise entre-temps par un autre compte est refusée en français, sans rien changer", async () => {
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const newEmail = await askForChange(member, cookie);
    await createTestUser({ email: newEmail });
    const { path } = await mailedLink(newEmail);
    const refused = await press(path, cookie);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Un autre compte utilise désormais cette adresse");
    expect(await emailOf(member.id)).toBe(member.email);
  });
});
