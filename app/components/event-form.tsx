import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";

import { EventFormSchema, formatLabels } from "~/utils/event-schemas";
import { themes } from "~/utils/themes";

import { CollectivityPicker, type Candidate } from "./collectivity-picker";
import { CheckboxGroup, ErrorList, Field, FormErrors, RadioGroup, TextareaField } from "./forms";

const themeOptions = themes.map((theme) => ({ value: theme.slug, label: theme.label }));

export type EventFormDefaults = {
  title?: string;
  description?: string;
  themes?: string[];
  format?: string;
  startsAt?: string;
  endsAt?: string;
  registrationDeadline?: string;
  venue?: string;
  commune?: string;
  host?: string;
  onlineUrl?: string;
  capacity?: string;
  programme?: string;
  initiativeIds?: string;
  status?: string;
};

/**
 * The create/edit form of an event: one schema for the client (instant feedback) and the action,
 * each error next to its field, and it works as a plain POST without JavaScript.
 */
export function EventForm({
  lastResult,
  defaultValue,
  candidates,
  version,
  showHost,
  submitLabel,
  timeZoneNote,
}: {
  lastResult?: SubmissionResult<string[]>;
  defaultValue: EventFormDefaults;
  candidates?: Candidate[];
  /** The version an edit is based on (absent when creating): a save made since gives a 409. */
  version?: number;
  showHost: boolean;
  submitLabel: string;
  timeZoneNote: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "evenement",
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EventFormSchema }),
  });
  const dateField = (meta: typeof fields.startsAt, label: string, hint?: string) => {
    const hintId = `${meta.id}-hint`;
    const props = getInputProps(meta, { type: "datetime-local", ariaDescribedBy: hintId });
    return (
      <div className="field">
        <label htmlFor={meta.id}>{label}</label>
        <span id={hintId} className="hint">
          {hint ?? timeZoneNote}
        </span>
        <input {...props} key={props.key} />
        <ErrorList id={meta.errorId} errors={meta.errors} />
      </div>
    );
  };
  return (
    <Form
      method="post"
      className="stack"
      {...getFormProps(form)}
      noValidate
      data-brouillon="evenement"
    >
      <FormErrors errors={form.errors} id={form.errorId} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <Field label="Titre" meta={fields.title} />
      <TextareaField
        label="Présentation"
        meta={fields.description}
        rows={8}
        hint="Texte en markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…)."
      />
      <CheckboxGroup
        legend="Thèmes (un à quatre)"
        meta={fields.themes}
        options={themeOptions}
        layout="checkbox-grid"
      />
      <RadioGroup
        legend="Format"
        meta={fields.format}
        options={Object.entries(formatLabels).map(([value, label]) => ({ value, label }))}
      />
      {dateField(fields.startsAt, "Début")}
      {dateField(fields.endsAt, "Fin", "Un événement peut durer plusieurs jours.")}
      {showHost ? (
        <CollectivityPicker
          name="host"
          label="Collectivité organisatrice (administration)"
          defaultValue={fields.host.initialValue}
          errors={fields.host.errors}
        />
      ) : null}
      <CollectivityPicker
        name="commune"
        label="Commune du lieu (présentiel ou hybride)"
        defaultValue={fields.commune.initialValue}
        errors={fields.commune.errors}
        candidates={candidates}
      />
      <Field
        label="Adresse du lieu"
        meta={fields.venue}
        hint="Par exemple : Hôtel de ville, salle du conseil, 1 rue Desgroux."
      />
      <Field
        label="Lien de connexion (en ligne ou hybride)"
        meta={fields.onlineUrl}
        type="url"
        hint="Adresse https:// ; elle n'est montrée qu'aux personnes inscrites."
      />
      <Field
        label="Jauge"
        meta={fields.capacity}
        type="number"
        hint="Nombre de places ; laissez vide pour un nombre illimité. Au-delà, les inscriptions vont en liste d'attente."
      />
      {dateField(
        fields.registrationDeadline,
        "Clôture des inscriptions (facultatif)",
        "Sans date, les inscriptions ferment au début de l'événement.",
      )}
      <TextareaField
        label="Programme (facultatif)"
        meta={fields.programme}
        rows={6}
        hint="Une ligne par séquence : « 09:30 | Accueil | Intervenants ». Pour un autre jour : « 2027-03-13 09:30 | … »."
      />
      <Field
        label="Initiatives présentées (facultatif)"
        meta={fields.initiativeIds}
        hint="Adresses courtes (slug) ou identifiants des initiatives présentées, séparés par des virgules."
      />
      <RadioGroup
        legend="Statut"
        meta={fields.status}
        options={[
          { value: "draft", label: "Brouillon (visible des seuls organisateurs)" },
          { value: "published", label: "Publié" },
        ]}
      />
      <div>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
