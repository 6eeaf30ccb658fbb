import type { FieldMetadata } from "@conform-to/react";
import { getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import type { ReactNode } from "react";

import { formatNumber } from "~/utils/text";

import { Notice } from "./notice";

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id}>
      {errors.map((error) => (
        <p key={error} className="field-error">
          {error}
        </p>
      ))}
    </div>
  );
}

type FieldProps = {
  label: string;
  meta: FieldMetadata<string | number | undefined>;
  type?:
    "text" | "email" | "password" | "number" | "search" | "url" | "tel" | "date" | "datetime-local";
  hint?: string;
  autoComplete?: string;
  list?: string;
};

/** A labelled input with its hint and errors, wired for screen readers by conform. */
export function Field({ label, meta, type = "text", hint, autoComplete, list }: FieldProps) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type, ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <input {...props} key={props.key} autoComplete={autoComplete} list={list} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function TextareaField({
  label,
  meta,
  hint,
  rows = 6,
}: {
  label: string;
  meta: FieldMetadata<string | undefined>;
  hint?: string;
  rows?: number;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <textarea {...props} key={props.key} rows={rows} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function SelectField({
  label,
  meta,
  children,
}: {
  label: string;
  meta: FieldMetadata<string | undefined>;
  children: ReactNode;
}) {
  const props = getSelectProps(meta);
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <select {...props} key={props.key}>
        {children}
      </select>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export type FilterOption = { value: string; label: string; count?: number };

/**
 * A select of a GET filter form: an empty first choice ("Toutes les régions"), then the options,
 * each with its number of results when known. Keyed on the value so that it follows the URL.
 */
export function FilterSelect({
  name,
  id = name,
  label,
  empty,
  options,
  value,
}: {
  name: string;
  id?: string;
  label: string;
  empty: string;
  options: ReadonlyArray<FilterOption>;
  value: string | undefined | null;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} key={value ?? ""}>
        <option value="">{empty}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
            {option.count !== undefined ? ` (${formatNumber(option.count)})` : ""}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Radio buttons in a fieldset whose legend is the question. */
export function RadioGroup({
  legend,
  meta,
  options,
}: {
  legend: string;
  meta: FieldMetadata<string | undefined>;
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <fieldset className="field" aria-describedby={meta.errors ? meta.errorId : undefined}>
      <legend>{legend}</legend>
      <div className="choices">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name={meta.name}
              value={option.value}
              defaultChecked={meta.initialValue === option.value}
              aria-invalid={meta.errors ? true : undefined}
            />
            {option.label}
          </label>
        ))}
      </div>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

/** The values a multi-valued field starts with: conform gives one value alone as a string. */
export function initialValues(initialValue: unknown): string[] {
  if (Array.isArray(initialValue)) return initialValue.filter((v) => typeof v === "string");
  return typeof initialValue === "string" && initialValue !== "" ? [initialValue] : [];
}

/** Checkboxes in a fieldset whose legend is the question; `layout` is the class of the list. */
export function CheckboxGroup({
  legend,
  meta,
  options,
  layout = "choices",
}: {
  legend: string;
  meta: FieldMetadata<string[] | undefined>;
  options: ReadonlyArray<{ value: string; label: string }>;
  layout?: "choices" | "checkbox-grid";
}) {
  const checked = new Set(initialValues(meta.initialValue));
  return (
    <fieldset className="field" aria-describedby={meta.errors ? meta.errorId : undefined}>
      <legend>{legend}</legend>
      <div className={layout}>
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="checkbox"
              name={meta.name}
              value={option.value}
              defaultChecked={checked.has(option.value)}
              aria-invalid={meta.errors ? true : undefined}
            />
            {option.label}
          </label>
        ))}
      </div>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

export function FormErrors({ errors, id }: { errors?: string[] | null; id?: string }) {
  if (!errors || errors.length === 0) return null;
  return (
    <Notice kind="error" id={id}>
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </Notice>
  );
}
