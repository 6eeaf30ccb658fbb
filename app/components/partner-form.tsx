import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";

import { collegeLabels, partnerKindLabels, PartnerSchema } from "../utils/council-schemas";
import { Field, FormErrors, SelectField, TextareaField } from "./forms";

/** The admins' form of a partner organisation, to create or edit it. */
export function PartnerForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]>;
  defaultValue?: Partial<Record<keyof typeof PartnerSchema.shape, string>>;
  submitLabel: string;
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PartnerSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)} noValidate>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Field label="Nom de l'organisation" meta={fields.name} autoComplete="organization" />
      <SelectField label="Type d'organisation" meta={fields.kind}>
        <option value="">Choisissez…</option>
        {Object.entries(partnerKindLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Collège du conseil" meta={fields.college}>
        <option value="">Choisissez…</option>
        {Object.entries(collegeLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <Field label="Siren (facultatif)" meta={fields.siren} hint="9 chiffres, sans espace." />
      <Field label="Site (facultatif)" meta={fields.website} type="url" hint="https://…" />
      <TextareaField label="Présentation" meta={fields.description} rows={4} />
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}
