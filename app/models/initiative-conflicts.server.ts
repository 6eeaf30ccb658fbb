import { asc, eq } from "drizzle-orm";

import type { Executor } from "../../db/client";
import { initiativeContributors, initiatives, type InitiativeLink } from "../../db/schema";
import { formatDateTime } from "../utils/dates";
import { budgetLabels, statusLabels } from "../utils/initiatives";
import { themeLabel } from "../utils/themes";
import { resolveInspiredBy } from "./initiative-adoptions.server";
import type { InitiativeInput } from "./initiative-writes.server";
import type { FieldErrors } from "./result.server";

/**
 * A save based on an older version of an initiative (a second tab, a colleague) is refused
 * rather than silently overwriting the other save. The refusal names each field whose saved
 * value differs from the one sent, and quotes the saved value, so that the person can merge by
 * hand; their own text stays in the form.
 */

export type VersionConflict = {
  ok: false;
  status: 409;
  fieldErrors: FieldErrors;
  formError: string;
  /** The version the refused save should have been based on: a new save from it goes through. */
  currentVersion: number;
};

export function isVersionConflict(failure: { status: number }): failure is VersionConflict {
  return "currentVersion" in failure;
}

/** The saved values of an initiative that an edit may change, as locked for the update. */
export type SavedInitiative = Omit<InitiativeInput, "inspiredBy" | "contributors"> & {
  id: string;
  inspiredById: string | null;
  version: number;
  updatedAt: Date;
};

type Changes = Partial<InitiativeInput>;

const QUOTE_MAX = 300;

function quoted(text: string) {
  if (text.trim() === "") return "(vide)";
  return `« ${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text} »`;
}

/** The saved text from just before its first difference with the sent one. */
function fromFirstDifference(saved: string, sent: string) {
  let at = 0;
  while (at < saved.length && at < sent.length && saved[at] === sent[at]) at += 1;
  const start = Math.max(saved.lastIndexOf("\n", at - 1) + 1, at - 100, 0);
  return `${start > 0 ? "…" : ""}${quoted(saved.slice(start))}`;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);

const linkText = (links: InitiativeLink[]) =>
  links.map((l) => (l.label ? `${l.label} | ${l.url}` : l.url)).join(" ; ");

/** Members by account, other people by name and function: what a credit list means. */
const creditKeys = (contributors: Array<{ userId?: string | null; name: string; role: string }>) =>
  contributors.map((c) => (c.userId ? `membre:${c.userId}` : `${c.name}|${c.role}`));

export async function versionConflict(
  tx: Executor,
  saved: SavedInitiative,
  changes: Changes,
): Promise<VersionConflict> {
  const fieldErrors: FieldErrors = {};
  const differs = (field: keyof Changes, isSame: boolean, savedText: string) => {
    if (changes[field] !== undefined && !isSame)
      fieldErrors[field] = [`Modifié entre-temps. Version enregistrée : ${savedText}`];
  };
  differs("title", changes.title === saved.title, quoted(saved.title));
  differs("summary", changes.summary === saved.summary, quoted(saved.summary));
  differs("body", changes.body === saved.body, fromFirstDifference(saved.body, changes.body ?? ""));
  differs(
    "themes",
    sameList(changes.themes ?? [], saved.themes),
    saved.themes.map(themeLabel).join(", "),
  );
  differs("tags", sameList(changes.tags ?? [], saved.tags), quoted(saved.tags.join(", ")));
  differs(
    "startYear",
    changes.startYear === saved.startYear,
    saved.startYear ? String(saved.startYear) : "non précisée",
  );
  differs(
    "budgetBracket",
    changes.budgetBracket === saved.budgetBracket,
    saved.budgetBracket ? budgetLabels[saved.budgetBracket] : "non précisé",
  );
  differs(
    "links",
    JSON.stringify(changes.links) === JSON.stringify(saved.links),
    quoted(linkText(saved.links)),
  );
  differs("status", changes.status === saved.status, statusLabels[saved.status]);
  if (changes.inspiredBy !== undefined) {
    const sent = await resolveInspiredBy(tx, changes.inspiredBy, saved.id);
    const [inspiring] = saved.inspiredById
      ? await tx
          .select({ title: initiatives.title })
          .from(initiatives)
          .where(eq(initiatives.id, saved.inspiredById))
      : [];
    differs(
      "inspiredBy",
      sent.ok && sent.id === saved.inspiredById,
      inspiring ? quoted(inspiring.title) : "aucune",
    );
  }
  if (changes.contributors) {
    const credited = await tx
      .select({
        userId: initiativeContributors.userId,
        name: initiativeContributors.name,
        role: initiativeContributors.role,
      })
      .from(initiativeContributors)
      .where(eq(initiativeContributors.initiativeId, saved.id))
      .orderBy(asc(initiativeContributors.position));
    differs(
      "contributors",
      sameList(creditKeys(changes.contributors), creditKeys(credited)),
      credited.length > 0 ? quoted(credited.map((c) => c.name).join(", ")) : "aucun",
    );
  }
  const anyField = Object.keys(fieldErrors).length > 0;
  return {
    ok: false,
    status: 409,
    fieldErrors,
    formError:
      `Quelqu'un a enregistré cette initiative le ${formatDateTime(saved.updatedAt)}, après que ` +
      "vous l'avez ouverte : vos modifications n'ont pas été enregistrées. " +
      (anyField
        ? "Les champs signalés diffèrent de la version enregistrée, citée sous chacun d'eux ; "
        : "Vos valeurs sont celles de la version enregistrée ; ") +
      "votre saisie est conservée. Enregistrez à nouveau pour la garder.",
    currentVersion: saved.version,
  };
}
