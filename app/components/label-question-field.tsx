import { Link } from "@remix-run/react";

import { LONG_TEXT_MAX, SHORT_TEXT_MAX, type LabelAnswerValue } from "~/utils/label";

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

/** One question of a section: its control, its state ("à confirmer", last change), errors and conflict. */
export function QuestionField({
  question,
  value,
  version,
  errors,
  conflict,
  evidence,
}: {
  question: SectionQuestionView;
  value: LabelAnswerValue | null | undefined;
  version: { version: number; hash: string };
  errors?: string[];
  conflict?: AnswerConflictView;
  evidence: Array<{ id: string; title: string }>;
}) {
  const name = `q-${question.id}`;
  const hintId = question.help ? `${name}-aide` : undefined;
  const errorId = errors || conflict ? `${name}-erreur` : undefined;
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
      <input type="hidden" name={`v-${question.id}`} value={version.version} />
      <input type="hidden" name={`h-${question.id}`} value={version.hash} />
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
  let control;
  switch (question.kind) {
    case "yesno": {
      const current = value?.kind === "yesno" ? (value.value ? "oui" : "non") : "";
      control = choices(
        [
          { value: "oui", label: "Oui" },
          { value: "non", label: "Non" },
          { value: "", label: "Je ne sais pas encore" },
        ],
        "radio",
        (v) => v === current,
      );
      break;
    }
    case "single": {
      const current = value?.kind === "single" ? value.value : "";
      control = choices(
        [...question.options, { value: "", label: "Sans réponse pour l'instant" }],
        "radio",
        (v) => v === current,
      );
      break;
    }
    case "multiple": {
      const current = new Set(value?.kind === "multiple" ? value.value : []);
      control = choices(question.options, "checkbox", (v) => current.has(v));
      break;
    }
    case "initiatives": {
      const current = new Set(value?.kind === "initiatives" ? value.value : []);
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
            (v) => current.has(v),
          )
        );
      break;
    }
    default:
      control = null;
  }
  const textValue =
    value && (value.kind === "short_text" || value.kind === "long_text" || value.kind === "number")
      ? String(value.value)
      : "";
  const isField =
    question.kind === "number" || question.kind === "short_text" || question.kind === "long_text";
  return (
    <div className={classes.join(" ")} id={`question-${question.id}`}>
      {isField ? (
        <div className="field">
          <label htmlFor={name}>{title}</label>
          {extras}
          {question.kind === "long_text" ? (
            <textarea
              id={name}
              name={name}
              rows={5}
              maxLength={LONG_TEXT_MAX}
              defaultValue={textValue}
              aria-describedby={describedBy}
              aria-invalid={errors ? true : undefined}
            />
          ) : (
            <input
              id={name}
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
            <input type="checkbox" name={`c-${question.id}`} /> Je confirme cette réponse
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
