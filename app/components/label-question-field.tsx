import type { FieldMetadata } from "@conform-to/react";
import { Link } from "@remix-run/react";

import { initialValues } from "~/components/forms";
import { LONG_TEXT_MAX, SHORT_TEXT_MAX, type LabelAnswerValue } from "~/utils/label";
import { confirmField, hashField, versionField } from "~/utils/label-section-schema";

/** What the section page knows of a question, as this field shows it. */
export type SectionQuestionView = {
  id: string;
  kind: LabelAnswerValue["kind"];
  prompt: string;
  help: string | null;
  required: boolean;
  options: Array<{ value: string; label: string }>;
  toConfirm: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type AnswerConflictView = {
  theirs: string;
  mine: string;
  byName: string;
  at: string | null;
};

const yesNoChoices = [
  { value: "oui", label: "Oui" },
  { value: "non", label: "Non" },
  { value: "", label: "Je ne sais pas encore" },
];
const noAnswerChoice = { value: "", label: "Sans réponse pour l'instant" };

/** One question of a section: its control, its state ("à confirmer", last change), errors and conflict. */
export function QuestionField({
  question,
  meta,
  version,
  errors,
  conflict,
  evidence,
  confirmed,
}: {
  question: SectionQuestionView;
  /** The answer's field; its initial value is the saved answer, or what a refused save sent. */
  meta: FieldMetadata<string | string[] | undefined>;
  version: { version: number; hash: string };
  /** The field's errors: conform's, or those of a refused autosave. */
  errors?: string[];
  conflict?: AnswerConflictView;
  evidence: Array<{ id: string; title: string }>;
  /** "Je confirme" was ticked in a save that came back refused. */
  confirmed: boolean;
}) {
  const name = meta.name;
  const hintId = question.help ? `${meta.id}-aide` : undefined;
  const errorId = errors || conflict ? meta.errorId : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const classes = ["question", "stack"];
  if (question.toConfirm) classes.push("question--to-confirm");
  if (conflict) classes.push("question--conflict");
  const title = (
    <>
      {question.prompt}
      {question.required ? <span className="muted"> (obligatoire)</span> : null}
    </>
  );
  const extras = (
    <>
      {question.help ? (
        <span id={hintId} className="hint">
          {question.help}
        </span>
      ) : null}
      <input type="hidden" name={versionField(question.id)} value={version.version} />
      <input type="hidden" name={hashField(question.id)} value={version.hash} />
    </>
  );
  const choices = (
    items: Array<{ value: string; label: string }>,
    type: "radio" | "checkbox",
    checked: (v: string) => boolean,
  ) => (
    <div className="choices">
      {items.map((item) => (
        <label key={item.value}>
          <input
            type={type}
            name={name}
            value={item.value}
            defaultChecked={checked(item.value)}
            aria-invalid={errors ? true : undefined}
          />
          {item.label}
        </label>
      ))}
    </div>
  );
  const chosen = new Set(initialValues(meta.initialValue));
  let control = null;
  if (question.kind === "yesno") {
    control = choices(
      yesNoChoices,
      "radio",
      (v) => chosen.has(v) || (v === "" && chosen.size === 0),
    );
  } else if (question.kind === "single") {
    control = choices([...question.options, noAnswerChoice], "radio", (v) =>
      v === "" ? chosen.size === 0 : chosen.has(v),
    );
  } else if (question.kind === "multiple") {
    control = choices(question.options, "checkbox", (v) => chosen.has(v));
  } else if (question.kind === "initiatives") {
    control =
      evidence.length === 0 ? (
        <p className="muted">
          Aucune initiative publiée par votre collectivité.{" "}
          <Link to="/initiatives/nouvelle">Partager une initiative</Link> pour l'ajouter ici.
        </p>
      ) : (
        choices(
          evidence.map((e) => ({ value: e.id, label: e.title })),
          "checkbox",
          (v) => chosen.has(v),
        )
      );
  }
  const textValue = typeof meta.initialValue === "string" ? meta.initialValue : "";
  const isField =
    question.kind === "number" || question.kind === "short_text" || question.kind === "long_text";
  return (
    <div className={classes.join(" ")} id={`question-${question.id}`}>
      {isField ? (
        <div className="field">
          <label htmlFor={meta.id}>{title}</label>
          {extras}
          {question.kind === "long_text" ? (
            <textarea
              id={meta.id}
              name={name}
              rows={5}
              maxLength={LONG_TEXT_MAX}
              defaultValue={textValue}
              aria-describedby={describedBy}
              aria-invalid={errors ? true : undefined}
            />
          ) : (
            <input
              id={meta.id}
              name={name}
              type="text"
              inputMode={question.kind === "number" ? "decimal" : undefined}
              maxLength={question.kind === "short_text" ? SHORT_TEXT_MAX : 20}
              defaultValue={textValue}
              aria-describedby={describedBy}
              aria-invalid={errors ? true : undefined}
            />
          )}
        </div>
      ) : (
        <fieldset className="field" aria-describedby={describedBy}>
          <legend>{title}</legend>
          {extras}
          {control}
        </fieldset>
      )}
      {question.toConfirm ? (
        <p>
          <span className="badge badge--pending">À confirmer</span> Réponse reprise de l'an dernier.{" "}
          <label>
            <input type="checkbox" name={confirmField(question.id)} defaultChecked={confirmed} /> Je
            confirme cette réponse
          </label>
        </p>
      ) : question.updatedBy ? (
        <p className="muted">
          Dernière modification par {question.updatedBy}, {question.updatedAt}.
        </p>
      ) : null}
      <div id={errorId}>
        {errors?.map((error) => (
          <p key={error} className="field-error">
            {error}
          </p>
        ))}
        {conflict ? (
          <div className="stack">
            <p className="field-error">
              {conflict.byName} a modifié cette réponse{conflict.at ? ` (${conflict.at})` : ""}.
              Votre texte est conservé dans le champ : enregistrez pour le garder, ou reprenez
              l'autre version.
            </p>
            <div className="conflict-versions">
              <div>
                <strong>Votre version</strong>
                <br />
                {conflict.mine}
              </div>
              <div>
                <strong>Version de {conflict.byName}</strong>
                <br />
                {conflict.theirs}
              </div>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
