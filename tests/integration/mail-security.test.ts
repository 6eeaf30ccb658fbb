import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { describeClient } from "../../app/utils/user-agent";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { linkIn, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { createTestUser, TEST_PASSWORD } from "../helpers/users";

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const FIREFOX_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startTestApp({ SMTP_URL: smtp.url, RATE_LIMITS: "false" });
});
afterAll(async () => {
  await app?.close();
  await smtp?.stop();
});

const receivedBy = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

/** Logs in from a browser holding `deviceCookie` (or none); returns the device cookie it got. */
async function login(email: string, deviceCookie?: string) {
  const init = form({ email, password: TEST_PASSWORD });
  const response = await app.request("/connexion", {
    ...init,
    headers: { ...init.headers, "user-agent": FIREFOX_WINDOWS },
    cookie: deviceCookie,
  });
  expect(response.status).toBe(302);
  const device = response.headers.getSetCookie().find((c) => c.startsWith("ti_appareil="));
  return device?.split(";")[0];
}

describe("connexion depuis un nouvel appareil", () => {
  test("un compte de modération est prévenu par courriel, une seule fois par appareil", async () => {
    const moderator = await createTestUser({ roles: ["moderator"], name: "Morgane Modère" });
    const device = await login(moderator.email);
    await sendQueuedMail();
    const [mail] = receivedBy(moderator.email);
    expect(mail?.parsed.subject).toBe("Nouvelle connexion à votre compte");
    expect(mail!.parsed.text).toContain("Firefox sous Windows");
    expect(mail!.parsed.text).toMatch(/le \S+ \d{1,2} \S+ \d{4}, \d{1,2} h \d{2}, Firefox/);
    expect(linkIn(mail!, `${app.origin}/compte`)).toBe(`${app.origin}/compte`);

    await login(moderator.email, device);
    await sendQueuedMail();
    expect(receivedBy(moderator.email)).toHaveLength(1);
    // Another browser is another device.
    await login(moderator.email);
    await sendQueuedMail();
    expect(receivedBy(moderator.email)).toHaveLength(2);
  });

  test("les comptes admin et jury aussi, mais pas un simple membre", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const jury = await createTestUser({ roles: ["jury"] });
    const member = await createTestUser({ roles: ["organiser"] });
    await login(admin.email);
    await login(jury.email);
    await login(member.email);
    await sendQueuedMail();
    expect(receivedBy(admin.email)).toHaveLength(1);
    expect(receivedBy(jury.email)).toHaveLength(1);
    expect(receivedBy(member.email)).toHaveLength(0);
  });

  test("le navigateur est décrit à peu près", () => {
    expect(describeClient(FIREFOX_WINDOWS)).toBe("Firefox sous Windows");
    expect(
      describeClient(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari sous iOS");
    expect(describeClient(null)).toBe("navigateur inconnu");
  });
});
