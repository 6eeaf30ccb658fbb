import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { changePassword, updateProfile, verifyCredentials } from "../../app/models/accounts.server";
import { db } from "../../db/client";
import { passwordResetRequests, passwordResetTokens } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { followAddressLink } from "../helpers/mail-links";
import { linkIn, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { createTestUser, loginCookie, TEST_PASSWORD } from "../helpers/users";

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let addressCounter = 0;
const NEW_PASSWORD = "un tout nouveau mot de passe";

beforeAll(async () => {
  smtp = await startSmtpServer();
  // The test client plays the reverse proxy, so that each test has an IP of its own.
  app = await startTestApp({ SMTP_URL: smtp.url, TRUST_PROXY: "1" });
});
afterAll(async () => {
  await app?.close();
  await smtp?.stop();
});

function newIp() {
  addressCounter += 1;
  return `198.51.100.${addressCounter}`;
}

const receivedBy = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

function post(path: string, values: Record<string, string>, ip: string) {
  const init = form(values);
  return app.request(path, { ...init, headers: { ...init.headers, "x-forwarded-for": ip } });
}

/** Asks for a reset from `ip`, lets the queue work, and returns the link of the last mail. */
async function requestLink(email: string, ip = newIp()) {
  const response = await post("/mot-de-passe-oublie", { email }, ip);
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe("/mot-de-passe-oublie?envoye=1");
  await sendQueuedMail();
  const mails = receivedBy(email);
  return mails.length > 0 ? linkIn(mails.at(-1)!, `${app.origin}/mot-de-passe/`) : null;
}

const pathOf = (link: string) => new URL(link).pathname;

function setPassword(link: string, password = NEW_PASSWORD) {
  return post(pathOf(link), { password }, newIp());
}

describe("mot de passe oublié", () => {
  test("la page de connexion mène au formulaire, qui fonctionne sans JavaScript", async () => {
    const login = await (await app.request("/connexion")).text();
    expect(login).toContain('href="/mot-de-passe-oublie"');
    const page = await app.request("/mot-de-passe-oublie");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
  });

  test("le lien reçu par courriel sert une fois et une seule, et ferme toutes les sessions", async () => {
    const member = await createTestUser({ name: "Odile Oublieuse" });
    const cookie = await loginCookie(member.id);
    const link = await requestLink(member.email);
    expect(link).not.toBeNull();
    const [mail] = receivedBy(member.email);
    expect(mail!.parsed.subject).toBe("Choisir un nouveau mot de passe");
    expect(mail!.parsed.html).toContain("Choisir un nouveau mot de passe");
    // Only the hash is stored.
    const [stored] = await db
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, member.id));
    expect(link!).not.toContain(stored!.tokenHash);

    expect((await app.request(pathOf(link!))).status).toBe(200);
    const done = await setPassword(link!);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/connexion?motDePasse=change");
    expect(await verifyCredentials(member.email, NEW_PASSWORD)).not.toBeNull();
    expect(await verifyCredentials(member.email, TEST_PASSWORD)).toBeNull();
    // The session opened before the reset is over.
    const account = await app.request("/compte", { cookie });
    expect(account.status).toBe(302);
    expect(account.headers.get("location")).toMatch(/^\/connexion/);

    const again = await app.request(pathOf(link!));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Ce lien n&#x27;est plus valable");
    const reused = await setPassword(link!, "encore un autre mot de passe");
    expect(reused.status).toBe(410);
    expect(await verifyCredentials(member.email, NEW_PASSWORD)).not.toBeNull();
  });

  test("un lien expiré ne sert plus", async () => {
    const member = await createTestUser();
    const link = await requestLink(member.email);
    await db
      .update(passwordResetTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(passwordResetTokens.userId, member.id));
    expect((await app.request(pathOf(link!))).status).toBe(410);
    expect((await setPassword(link!)).status).toBe(410);
    expect(await verifyCredentials(member.email, TEST_PASSWORD)).not.toBeNull();
  });

  test("un changement de mot de passe annule le lien", async () => {
    const member = await createTestUser();
    const link = await requestLink(member.email);
    const changed = await changePassword(member.id, TEST_PASSWORD, "changé depuis le compte", {
      sessionId: undefined,
      apiTokens: true,
    });
    expect(changed.ok).toBe(true);
    expect((await setPassword(link!)).status).toBe(410);
    expect(await verifyCredentials(member.email, "changé depuis le compte")).not.toBeNull();
  });

  test("un changement d'adresse annule le lien", async () => {
    const member = await createTestUser();
    const link = await requestLink(member.email);
    const moved = await updateProfile(
      member.id,
      {
        name: member.name,
        email: `nouvelle-${member.email}`,
        jobTitle: "",
        profileKind: "agent",
      },
      { currentPassword: TEST_PASSWORD, keepApiTokens: true },
    );
    expect(moved.ok).toBe(true);
    expect((await followAddressLink(app, `nouvelle-${member.email}`)).status).toBe(302);
    expect((await app.request(pathOf(link!))).status).toBe(410);
  });

  test("un lien plus récent annule le précédent", async () => {
    const member = await createTestUser();
    const first = await requestLink(member.email);
    const second = await requestLink(member.email);
    expect(second).not.toBe(first);
    expect((await app.request(pathOf(first!))).status).toBe(410);
    expect((await setPassword(second!)).status).toBe(302);
  });

  test("une adresse inconnue reçoit la même réponse et aucun courriel", async () => {
    const member = await createTestUser();
    const unknown = `personne-${Date.now()}@exemple.fr`;
    const before = smtp.received.length;
    const known = await post("/mot-de-passe-oublie", { email: member.email }, newIp());
    const stranger = await post("/mot-de-passe-oublie", { email: unknown }, newIp());
    expect(stranger.status).toBe(known.status);
    expect(stranger.headers.get("location")).toBe(known.headers.get("location"));
    expect(await stranger.text()).toBe(await known.text());
    // Both requests wait for the worker in the same way.
    expect(await db.select().from(passwordResetRequests)).toHaveLength(2);
    await sendQueuedMail();
    expect(receivedBy(unknown)).toHaveLength(0);
    expect(receivedBy(member.email)).toHaveLength(1);
    expect(smtp.received.length).toBe(before + 1);
    expect(await db.select().from(passwordResetRequests)).toHaveLength(0);
  });

  test("5 demandes par adresse en 30 minutes, puis 429", async () => {
    const member = await createTestUser();
    for (let i = 0; i < 5; i += 1) {
      expect((await post("/mot-de-passe-oublie", { email: member.email }, newIp())).status).toBe(
        302,
      );
    }
    const refused = await post("/mot-de-passe-oublie", { email: member.email }, newIp());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused.text()).toContain("Trop de tentatives");
    // Requests waiting together give one mail (one live token anyway).
    await sendQueuedMail();
    expect(receivedBy(member.email)).toHaveLength(1);
  });

  test("5 demandes par IP en 30 minutes, puis 429", async () => {
    const ip = newIp();
    for (let i = 0; i < 5; i += 1) {
      const email = `inconnu-${i}-${Date.now()}@exemple.fr`;
      expect((await post("/mot-de-passe-oublie", { email }, ip)).status).toBe(302);
    }
    const refused = await post("/mot-de-passe-oublie", { email: "autre@exemple.fr" }, ip);
    expect(refused.status).toBe(429);
    await sendQueuedMail();
  });

  test("une saisie incorrecte reçoit un message en français et un 400", async () => {
    const empty = await post("/mot-de-passe-oublie", { email: "" }, newIp());
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("L&#x27;adresse électronique");
    const member = await createTestUser();
    const link = await requestLink(member.email);
    const short = await post(pathOf(link!), { password: "court" }, newIp());
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("au moins 12 caractères");
    // Failed attempts leave the link usable; a made-up link is a 410, not a 500.
    expect((await app.request(pathOf(link!))).status).toBe(200);
    expect((await app.request("/mot-de-passe/pas-un-jeton")).status).toBe(410);
    expect((await setPassword(`${app.origin}/mot-de-passe/${"a".repeat(40)}`)).status).toBe(410);
  });
});
