import { describe, expect, test } from "vitest";

import { composeMail, headerText } from "../../app/mail/compose.server";
import { duePeriod } from "../../app/models/mail-digests.server";
import { effectiveFrequencies } from "../../app/utils/notification-preferences";

describe("texte des en-têtes", () => {
  test.each([
    ["Jean\r\nBcc: x@evil.example", "Jean Bcc: x@evil.example"],
    ["Titre\u2028Subject: faux", "Titre Subject: faux"],
    ["  Espaces\t\tmultiples  ", "Espaces multiples"],
  ])("%j tient sur une ligne", (input, expected) => {
    expect(headerText(input)).toBe(expected);
  });

  test("un texte trop long est coupé avec une ellipse", () => {
    expect(headerText("a".repeat(300), 20)).toBe(`${"a".repeat(19)}…`);
  });
});

describe("composition d'un courriel", () => {
  const base = {
    userId: "u1",
    recipient: "awa@exemple.fr",
    category: "test",
    subject: "Sujet\r\nBcc: x@evil.example",
    heading: "<img src=x onerror=alert(1)>",
    blocks: [
      { type: "paragraph" as const, text: "Bonjour <b>Awa</b> & co" },
      { type: "button" as const, label: "Voir", url: 'https://exemple.fr/"><script>' },
    ],
    reason: "Pour tester.",
    preferencesUrl: "https://exemple.fr/compte/notifications",
  };

  test("ce qu'ont écrit les membres est échappé dans le HTML et gardé tel quel dans le texte", () => {
    const mail = composeMail(base);
    expect(mail.subject).toBe("Sujet Bcc: x@evil.example");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).toContain("Bonjour &lt;b&gt;Awa&lt;/b&gt; &amp; co");
    expect(mail.html).toContain('href="https://exemple.fr/&quot;&gt;&lt;script&gt;"');
    expect(mail.text).toContain("Bonjour <b>Awa</b> & co");
  });

  test("un courriel non essentiel porte le désabonnement en un clic, un essentiel non", () => {
    expect(composeMail(base).headers).toEqual({});
    const optional = composeMail({
      ...base,
      unsubscribe: { url: "https://exemple.fr/desabonnement/abc", label: "Se désabonner" },
    });
    expect(optional.headers).toEqual({
      "List-Unsubscribe": "<https://exemple.fr/desabonnement/abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(optional.text).toContain("Se désabonner : https://exemple.fr/desabonnement/abc");
  });
});

describe("périodes des résumés (heure de Paris)", () => {
  test("le résumé quotidien d'un jour part le lendemain à 7 h", () => {
    // 06:59 in Paris (UTC+1): yesterday's résumé is not due yet.
    expect(duePeriod("daily", new Date("2027-03-10T05:59:00Z")).key).toBe("2027-03-08");
    const due = duePeriod("daily", new Date("2027-03-10T06:00:00Z"));
    expect(due).toMatchObject({ key: "2027-03-09", frequency: "daily" });
    expect(due.start.toISOString()).toBe("2027-03-08T23:00:00.000Z");
    expect(due.end.toISOString()).toBe("2027-03-09T23:00:00.000Z");
  });

  test("la semaine du changement d'heure va du lundi 0 h au lundi 0 h, en 167 heures", () => {
    // Monday 29 March 2027, 07:00 in Paris, now UTC+2.
    const due = duePeriod("weekly", new Date("2027-03-29T05:00:00Z"));
    expect(due.key).toBe("2027-03-22");
    expect(due.start.toISOString()).toBe("2027-03-21T23:00:00.000Z");
    expect(due.end.toISOString()).toBe("2027-03-28T22:00:00.000Z");
    expect(duePeriod("weekly", new Date("2027-03-29T04:59:00Z")).key).toBe("2027-03-15");
  });

  test("le relevé « immédiat » couvre le dernier quart d'heure entier", () => {
    const due = duePeriod("immediately", new Date("2027-03-10T10:07:30Z"));
    expect(due.start.toISOString()).toBe("2027-03-10T09:45:00.000Z");
    expect(due.end.toISOString()).toBe("2027-03-10T10:00:00.000Z");
  });
});

test("les préférences enregistrées complètent les valeurs par défaut, sans valeur inconnue", () => {
  expect(effectiveFrequencies({ events: "never", mentions: "parfois", autre: "daily" })).toEqual({
    mentions: "immediately",
    "followed-topics": "weekly",
    initiatives: "weekly",
    events: "never",
    label: "weekly",
    moderation: "weekly",
  });
});
