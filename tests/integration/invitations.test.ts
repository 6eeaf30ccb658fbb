import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { db } from "../../db/client";
import { invitations, memberships, users } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { linkIn, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { createTestUser, loginCookie, TEST_PASSWORD } from "../helpers/users";

/** Issue 12, item 3: "Invitez une commune voisine". */

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let counter = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startTestApp({ SMTP_URL: smtp.url, RATE_LIMITS: "false" });
});
afterAll(async () => {
  await app?.close();
  await smtp?.stop();
});

const uniqueEmail = () => `invitee${++counter}-${Date.now()}@exemple.fr`;

/** A neighbour of Vannes not yet in the network, as listed on Vannes's page. */
async function neighbourOfVannes(cookie: string) {
  const html = await (await app.request("/collectivites/56260", { cookie })).text();
  expect(html).toContain("Invitez une commune voisine");
  const code = /href="\/invitations\?vers=(\w+)"/.exec(html)?.[1];
  expect(code).toBeTruthy();
  return code!;
}

async function invite(cookie: string, toCollectivityCode: string, email: string) {
  return app.request("/invitations", {
    ...form({ intent: "invite", toCollectivityCode, email, message: "Venez <b>nombreux</b> !" }),
    cookie,
  });
}

/** Sends an invitation and returns the path of the mailed link. */
async function invitationLink(cookie: string, code: string, email: string) {
  const sent = await invite(cookie, code, email);
  expect(sent.status).toBe(302);
  expect(sent.headers.get("location")).toBe("/invitations?envoyee=1");
  await sendQueuedMail();
  const mail = smtp.received.filter((m) => m.envelopeTo.includes(email)).at(-1)!;
  const url = new URL(linkIn(mail, `${app.origin}/inscription?invitation=`));
  return { mail, path: `${url.pathname}${url.search}`, token: url.searchParams.get("invitation")! };
}

const signUp = (path: string, values: Record<string, string>) =>
  app.request(
    path,
    form({
      name: "Inès Invitée",
      password: TEST_PASSWORD,
      jobTitle: "Maire adjointe",
      profileKind: "elu",
      ...values,
    }),
  );

describe("invitations de communes voisines", () => {
  test("l'invitation pré-remplit l'inscription et l'adhésion ; la collectivité invitante voit qui l'a rejointe", async () => {
    const inviter = await createTestUser({ collectivityCode: "56260", name: "Paul Parrain" });
    const cookie = await loginCookie(inviter.id);
    const code = await neighbourOfVannes(cookie);
    const email = uniqueEmail();
    const { mail, path, token } = await invitationLink(cookie, code, email);
    expect(mail.parsed.subject).toContain("Paul Parrain (Vannes) vous invite");
    expect(mail.parsed.text).toContain("Venez <b>nombreux</b> !");
    expect(mail.parsed.html).not.toContain("<b>nombreux</b>");

    const page = await app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Paul Parrain (Vannes)");
    expect(html).toContain("vous invite à rejoindre le réseau");
    expect(html).toContain(`value="${email}"`);
    expect(html).toMatch(new RegExp(`value="[^"]+ \\(${code}\\)"`));
    const collectivityLabel = new RegExp(`value="([^"]+ \\(${code}\\))"`).exec(html)![1]!;

    const created = await signUp(path, {
      email,
      collectivity: collectivityLabel,
      invitation: token,
    });
    expect(created.status).toBe(302);
    const [member] = await db
      .select({ id: users.id, verifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.email, email));
    // The invitation came to this address: following it confirmed it.
    expect(member!.verifiedAt).not.toBeNull();
    const [membership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, member!.id));
    expect(membership).toMatchObject({ collectivityCode: code, status: "pending" });

    const vannes = await (await app.request("/collectivites/56260", { cookie })).text();
    expect(vannes).toContain("Ont rejoint le réseau grâce à vous");
    expect(vannes).toContain("Inès Invitée");
    // A visitor sees neither the invitations nor the addresses.
    const visitor = await (await app.request("/collectivites/56260")).text();
    expect(visitor).not.toContain("Invitations envoyées");
    expect(visitor).not.toContain(email);

    // The link served once.
    const again = await app.request(path);
    expect(await again.text()).toContain("Cette invitation a expiré ou a déjà servi");
    const reused = await signUp(path, {
      email: uniqueEmail(),
      collectivity: collectivityLabel,
      invitation: token,
    });
    expect(reused.status).toBe(410);
  });

  test("une invitation retirée ou expirée est refusée avec un message en français, sans compte créé", async () => {
    const inviter = await createTestUser({ collectivityCode: "56260" });
    const cookie = await loginCookie(inviter.id);
    const code = await neighbourOfVannes(cookie);
    const email = uniqueEmail();
    const { path, token } = await invitationLink(cookie, code, email);
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));

    const stranger = await createTestUser({ collectivityCode: "56260" });
    const notMine = await app.request("/invitations", {
      ...form({ intent: "withdraw", id: row!.id }),
      cookie: await loginCookie(stranger.id),
    });
    expect(notMine.status).toBe(404);
    const withdrawn = await app.request("/invitations", {
      ...form({ intent: "withdraw", id: row!.id }),
      cookie,
    });
    expect(withdrawn.status).toBe(302);
    expect(await (await app.request(path)).text()).toContain("Cette invitation a été retirée");
    const refused = await signUp(path, { email, collectivity: code, invitation: token });
    expect(refused.status).toBe(410);
    expect(await refused.text()).toContain("Cette invitation a été retirée");
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);

    const later = uniqueEmail();
    const expiring = await invitationLink(cookie, code, later);
    const [fresh] = await db.select().from(invitations).where(eq(invitations.email, later));
    expect(fresh!.expiresAt.getTime() - fresh!.createdAt.getTime()).toBeCloseTo(
      30 * 24 * 3_600_000,
      -4,
    );
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, fresh!.id));
    expect(await (await app.request(expiring.path)).text()).toContain("a expiré");
    const late = await signUp(expiring.path, {
      email: later,
      collectivity: code,
      invitation: expiring.token,
    });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain("Cette invitation a expiré");
  });

  test("seul un membre validé invite ; une adresse invalide est signalée sur le champ", async () => {
    const pending = await createTestUser({ collectivityCode: "56260", approved: false });
    const refused = await invite(await loginCookie(pending.id), "56243", uniqueEmail());
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Seuls les membres validés");
    const member = await createTestUser({ collectivityCode: "56260" });
    const bad = await invite(await loginCookie(member.id), "56243", "pas-une-adresse");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/adresse électronique n(&#x27;|')est pas valide/);
    const own = await invite(await loginCookie(member.id), "56260", uniqueEmail());
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("Invitez une autre collectivité que la vôtre.");
  });

  test("l'annuaire filtre les membres du réseau et les signale", async () => {
    await createTestUser({ collectivityCode: "56260" });
    const members = await (await app.request("/annuaire?q=vannes&network=oui")).text();
    expect(members).toMatch(/>Vannes<\/strong>/);
    expect(members).toContain("Membre du réseau");
    const others = await (await app.request("/annuaire?q=vannes&network=non")).text();
    expect(others).not.toMatch(/>Vannes<\/strong>/);
    expect(others).toContain("Inviter");
    const bad = await app.request("/annuaire?network=peut-etre");
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("Certains filtres étaient invalides");
  });
});
