import { describe, expect, test } from "vitest";

import { deadlinePassed } from "../../app/models/label-campaigns.server";
import { localToInstant, PARIS } from "../../app/utils/dates";
import { bracketOf, categoryOf } from "../../app/utils/label";
import {
  computeScores,
  indicativeLevel,
  quartiles,
  type ScoredQuestion,
} from "../../app/utils/label-scoring";
import type { LabelAnswerValue } from "../../db/schema/label-constants";

describe("score d'auto-évaluation", () => {
  test("les scores calculés à partir des poids correspondent à l'exemple fait à la main", () => {
    const options = (pairs: Array<[string, number]>) =>
      pairs.map(([value, points]) => ({ value, label: value, points }));
    const questions: ScoredQuestion[] = [
      // Enjeu A: 3 + 2 + 4 + 0 = 9 points available.
      { id: "a1", section: "A", kind: "yesno", weight: 3, options: [] },
      {
        id: "a2",
        section: "A",
        kind: "single",
        weight: 2,
        options: options([
          ["non", 0],
          ["partiel", 1],
          ["oui", 2],
        ]),
      },
      {
        id: "a3",
        section: "A",
        kind: "multiple",
        weight: 4,
        options: options([
          ["x", 1],
          ["y", 2],
          ["z", 3],
        ]),
      },
      { id: "a4", section: "A", kind: "long_text", weight: 0, options: [] },
      // Enjeu B: 3 + 4 + 1 = 8 points available.
      {
        id: "b1",
        section: "B",
        kind: "number",
        weight: 3,
        options: options([
          ["1", 1],
          ["5", 2],
          ["20", 3],
        ]),
      },
      {
        id: "b2",
        section: "B",
        kind: "initiatives",
        weight: 4,
        options: options([
          ["1", 2],
          ["3", 4],
        ]),
      },
      { id: "b3", section: "B", kind: "short_text", weight: 1, options: [] },
    ];
    const answers = new Map<string, LabelAnswerValue>([
      ["a1", { kind: "yesno", value: true }], // 3
      ["a2", { kind: "single", value: "partiel" }], // 1
      ["a3", { kind: "multiple", value: ["y", "z"] }], // 2 + 3 = 5, capped at 4
      ["a4", { kind: "long_text", value: "Texte" }], // not scored
      ["b1", { kind: "number", value: 7 }], // reaches 5: 2
      ["b2", { kind: "initiatives", value: ["i1", "i2"] }], // reaches 1: 2
      // b3 unanswered: 0
    ]);
    // A: (3 + 1 + 4) / 9 = 88.9 %; B: (2 + 2 + 0) / 8 = 50 %; overall 12 / 17 = 70.6 %.
    expect(computeScores(questions, answers)).toEqual({
      sections: { A: 88.9, B: 50 },
      overall: 70.6,
    });
    expect(indicativeLevel(70.6)).toBe(4);
    expect(indicativeLevel(10)).toBe(0);
  });

  test("les quartiles interpolent entre les rangs", () => {
    expect(quartiles([10, 20, 30, 40, 50])).toEqual({ q1: 20, median: 30, q3: 40 });
    expect(quartiles([1, 2, 3, 4])).toEqual({ q1: 1.8, median: 2.5, q3: 3.3 });
  });
});

describe("catégories du label", () => {
  test("village sous 3 500 habitants, ville à partir de 3 500, territoire, département", () => {
    expect(categoryOf({ kind: "commune", population: 331 })).toBe("village");
    expect(categoryOf({ kind: "commune", population: 3499 })).toBe("village");
    expect(categoryOf({ kind: "commune", population: 3500 })).toBe("ville");
    expect(categoryOf({ kind: "epci", population: 38000 })).toBe("territoire");
    expect(categoryOf({ kind: "departement", population: null })).toBe("departement");
    expect(categoryOf({ kind: "region", population: 5_000_000 })).toBeNull();
    expect(bracketOf("village", 331).slug).toBe("moins-500");
    expect(bracketOf("ville", 55790).slug).toBe("50000-plus");
  });
});

describe("date limite", () => {
  test("une date limite vaut jusqu'à la fin de sa minute, y compris le jour du changement d'heure", () => {
    const deadline = localToInstant("2027-10-31T23:59", PARIS)!;
    expect(deadline.toISOString()).toBe("2027-10-31T22:59:00.000Z");
    expect(deadlinePassed(deadline, new Date("2027-10-31T22:59:59.999Z"))).toBe(false);
    expect(deadlinePassed(deadline, new Date("2027-10-31T23:00:00.000Z"))).toBe(true);
  });
});
