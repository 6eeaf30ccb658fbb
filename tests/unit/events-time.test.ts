import { describe, expect, test } from "vitest";

import {
  differsFromParis,
  formatRange,
  instantToLocal,
  isAmbiguous,
  localToInstant,
  zoneForDepartment,
} from "../../app/utils/dates";
import { parseProgramme, programmeToText } from "../../app/utils/event-schemas";

describe("heures des événements", () => {
  test("le fuseau suit le département : outre-mer à l'heure locale, Paris ailleurs", () => {
    expect(zoneForDepartment("971")).toBe("America/Guadeloupe");
    expect(zoneForDepartment("972")).toBe("America/Martinique");
    expect(zoneForDepartment("973")).toBe("America/Cayenne");
    expect(zoneForDepartment("974")).toBe("Indian/Reunion");
    expect(zoneForDepartment("976")).toBe("Indian/Mayotte");
    expect(zoneForDepartment("60")).toBe("Europe/Paris");
    expect(zoneForDepartment(null)).toBe("Europe/Paris");
  });

  test("l'heure sautée au printemps n'existe pas ; l'heure doublée en automne est la première", () => {
    expect(localToInstant("2027-03-28T02:30", "Europe/Paris")).toBeNull();
    expect(localToInstant("2027-10-31T02:30", "Europe/Paris")?.toISOString()).toBe(
      "2027-10-31T00:30:00.000Z",
    );
    expect(isAmbiguous("2027-10-31T00:30:00Z", "Europe/Paris")).toBe(true);
    expect(isAmbiguous("2027-10-30T20:00:00Z", "Europe/Paris")).toBe(false);
    expect(localToInstant("2027-13-01T10:00", "Europe/Paris")).toBeNull();
    expect(instantToLocal("2027-07-01T08:00:00Z", "Europe/Paris")).toBe("2027-07-01T10:00");
  });

  test("un événement sur deux jours s'écrit « du … au … », à l'heure du lieu", () => {
    expect(formatRange("2027-10-30T20:00:00Z", "2027-10-31T03:00:00Z", "Europe/Paris")).toBe(
      "du samedi 30 octobre 2027, 22 h 00 au dimanche 31 octobre 2027, 4 h 00",
    );
    expect(formatRange("2027-03-12T17:00:00Z", "2027-03-12T18:30:00Z", "Europe/Paris")).toBe(
      "vendredi 12 mars 2027, de 18 h 00 à 19 h 30",
    );
    expect(differsFromParis("2027-03-12T17:00:00Z", "Indian/Reunion")).toBe(true);
    expect(differsFromParis("2027-03-12T17:00:00Z", "Europe/Paris")).toBe(false);
  });

  test("le programme se lit ligne à ligne et signale la ligne fautive", () => {
    const parsed = parseProgramme(
      "09:30 | Accueil | Équipe\n\n2027-03-13 9h00 | Deuxième jour",
      "2027-03-12",
    );
    expect(parsed).toEqual({
      items: [
        { date: "2027-03-12", time: "09:30", title: "Accueil", speakers: "Équipe" },
        { date: "2027-03-13", time: "09:00", title: "Deuxième jour", speakers: "" },
      ],
    });
    if ("items" in parsed) {
      expect(programmeToText(parsed.items, "2027-03-12")).toBe(
        "09:30 | Accueil | Équipe\n2027-03-13 09:00 | Deuxième jour",
      );
    }
    expect(parseProgramme("Accueil à 9h", "2027-03-12")).toEqual({
      error: expect.stringContaining("Ligne 1") as string,
    });
  });
});
