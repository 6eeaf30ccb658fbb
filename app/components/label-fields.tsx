/** A labelled input with its errors, for the label's admin forms (no conform metadata). */
export function PlainField({
  name,
  label,
  type = "text",
  defaultValue,
  errors,
}: {
  name: string;
  label: string;
  type?: string;
  defaultValue?: string;
  errors?: string[];
}) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        required
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${name}-error` : undefined}
      />
      {errors ? (
        <p id={`${name}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled, required textarea with its errors, for the jury's and the admins' label forms. */
export function PlainTextarea({
  name,
  label,
  rows,
  errors,
}: {
  name: string;
  label: string;
  rows: number;
  errors?: string[];
}) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <textarea
        id={name}
        name={name}
        rows={rows}
        required
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${name}-error` : undefined}
      />
      {errors ? (
        <p id={`${name}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Labels of the campaign dates, in the order of the campaign. */
export const campaignDateLabels = [
  { name: "opensAt", label: "Ouverture de la campagne" },
  { name: "registrationDeadline", label: "Fin des inscriptions (minute incluse)" },
  { name: "submissionDeadline", label: "Date limite de dépôt (minute incluse)" },
  { name: "juryStartsAt", label: "Début du jury" },
  { name: "juryEndsAt", label: "Fin du jury" },
  { name: "publishedAt", label: "Publication du palmarès" },
] as const;
