import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

import {
  CheckboxGroup,
  ErrorList,
  Field,
  FormErrors,
  initialValues,
  SelectField,
  TextareaField,
} from "~/components/forms";
import { InitiativeFormSchema } from "~/utils/initiative-schemas";
import { budgetLabels, statusLabels, SUMMARY_MAX } from "~/utils/initiatives";
import { themes } from "~/utils/themes";

import { Notice } from "./notice";

const themeOptions = themes.map((theme) => ({ value: theme.slug, label: theme.label }));

export type InitiativeFormDefaults = {
  title?: string;
  summary?: string;
  body?: string;
  themes?: string[];
  tags?: string;
  startYear?: string;
  budgetBracket?: string;
  links?: string;
  memberContributors?: string[];
  otherContributors?: string;
  inspiredBy?: string;
  status?: string;
  collectivityCode?: string;
};

type Props = {
  id: string;
  mode: "create" | "edit";
  defaults: InitiativeFormDefaults;
  /** Edit only: the version the form shows, sent back so that a save never overwrites a newer one. */
  version?: number;
  lastResult?: SubmissionResult<string[]>;
  previewHtml?: string;
  members: Array<{ userId: string; name: string; jobTitle: string }>;
  isAdmin: boolean;
  cancelTo: string;
};

/**
 * The initiative form, shared by creation and edition. Without JavaScript it is a plain POST
 * form with a "Prévisualiser" button; with it, the preview follows the typing (rendered by the
 * server's own markdown function) and similar initiatives are suggested under the title.
 */
export function InitiativeForm({
  id,
  mode,
  defaults,
  version,
  lastResult,
  previewHtml,
  members,
  isAdmin,
  cancelTo,
}: Props) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InitiativeFormSchema }),
  });
  const preview = useFetcher<{ html: string } | { error: { message: string } }>();
  const suggestions = useFetcher<{
    items: Array<{ slug: string; title: string; collectivityName: string }>;
  }>();
  const previewTimer = useRef<ReturnType<typeof setTimeout>>();
  const titleTimer = useRef<ReturnType<typeof setTimeout>>();
  const [summaryLength, setSummaryLength] = useState(defaults.summary?.length ?? 0);
  useEffect(
    () => () => {
      clearTimeout(previewTimer.current);
      clearTimeout(titleTimer.current);
    },
    [],
  );

  const onBodyInput = (value: string) => {
    clearTimeout(previewTimer.current);
    previewTimer.current = setTimeout(() => {
      preview.submit({ body: value }, { method: "post", action: "/initiatives/apercu" });
    }, 300);
  };
  const onTitleInput = (value: string) => {
    if (mode !== "create") return;
    clearTimeout(titleTimer.current);
    titleTimer.current = setTimeout(() => {
      suggestions.load(
        `/initiatives/suggestions?${new URLSearchParams({ titre: value }).toString()}`,
      );
    }, 300);
  };
  const previewError = preview.data && "error" in preview.data ? preview.data.error.message : null;
  const shownPreview = preview.data && "html" in preview.data ? preview.data.html : previewHtml;
  const similar = suggestions.data?.items ?? [];
  const checkedMembers = initialValues(fields.memberContributors.initialValue);
  const titleProps = getInputProps(fields.title, { type: "text" });
  const statusOptions =
    mode === "create"
      ? (["draft", "published"] as const)
      : (["draft", "published", "archived"] as const);

  return (
    <Form
      method="post"
      className="stack"
      {...getFormProps(form)}
      noValidate
      data-brouillon="initiative"
    >
      <FormErrors errors={form.errors} id={form.errorId} />
      {version !== undefined ? (
        // Keyed by the version: after a conflict, the next save is based on the version shown.
        <input key={version} type="hidden" name="version" defaultValue={version} />
      ) : null}
      <div className="field">
        <label htmlFor={fields.title.id}>Titre</label>
        <span id={`${fields.title.id}-hint`} className="hint">
          Ce que vous avez fait, en quelques mots : « Retransmission du conseil municipal en direct
          ».
        </span>
        <input
          {...titleProps}
          key={titleProps.key}
          aria-describedby={[
            `${fields.title.id}-hint`,
            fields.title.errors ? fields.title.errorId : null,
            "suggestions",
          ]
            .filter(Boolean)
            .join(" ")}
          onInput={(event) => onTitleInput(event.currentTarget.value)}
        />
        <ErrorList id={fields.title.errorId} errors={fields.title.errors} />
        <div id="suggestions" aria-live="polite">
          {similar.length > 0 ? (
            <div className="suggestions">
              <p>
                Des initiatives proches existent déjà : pourquoi ne pas les compléter ou signaler
                que vous l'avez fait aussi ?
              </p>
              <ul>
                {similar.map((item) => (
                  <li key={item.slug}>
                    <Link to={`/initiatives/${item.slug}`} target="_blank">
                      {item.title}
                    </Link>{" "}
                    ({item.collectivityName})
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      </div>

      {/* Counts the summary as it is typed, without making the textarea controlled. */}
      <div
        onInput={(event) => {
          if (event.target instanceof HTMLTextAreaElement)
            setSummaryLength(event.target.value.length);
        }}
      >
        <TextareaField
          label="Résumé"
          meta={fields.summary}
          rows={3}
          hint={`En ${SUMMARY_MAX} caractères au plus : il apparaît dans les résultats de recherche.`}
        />
        <p className="hint">
          {summaryLength} / {SUMMARY_MAX} caractères
        </p>
      </div>

      <CheckboxGroup legend="Thèmes (un à quatre)" meta={fields.themes} options={themeOptions} />

      <div className="form-columns">
        <div className="stack">
          <div className="field">
            <label htmlFor={fields.body.id}>Description détaillée</label>
            <span id={`${fields.body.id}-hint`} className="hint">
              En markdown : **gras**, *italique*, ## intertitre, - liste, [lien](https://…). Le
              contexte, ce que vous avez fait, les résultats, vos conseils.
            </span>
            <textarea
              {...getInputProps(fields.body, { type: "text" })}
              key={fields.body.key}
              aria-describedby={`${fields.body.id}-hint`}
              rows={16}
              onInput={(event) => onBodyInput(event.currentTarget.value)}
            />
            <ErrorList id={fields.body.errorId} errors={fields.body.errors} />
          </div>
          <button type="submit" name="intent" value="preview" className="secondary">
            Prévisualiser
          </button>
        </div>
        <section aria-labelledby={`${id}-apercu`}>
          <h2 id={`${id}-apercu`}>Aperçu</h2>
          <div className="preview prose">
            {previewError ? <Notice kind="warning">{previewError}</Notice> : null}
            {shownPreview ? (
              <div dangerouslySetInnerHTML={{ __html: shownPreview }} />
            ) : (
              <p className="muted">L'aperçu de la description apparaîtra ici.</p>
            )}
          </div>
        </section>
      </div>

      <Field
        label="Mots-clés"
        meta={fields.tags}
        hint="Séparés par des virgules : fibre, visioconférence, seniors…"
      />
      <div className="filters">
        <Field
          label="Année de lancement"
          meta={fields.startYear}
          type="number"
          hint="Par exemple 2023."
        />
        <SelectField label="Budget" meta={fields.budgetBracket}>
          <option value="">Non précisé</option>
          {Object.entries(budgetLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextareaField
        label="Liens"
        meta={fields.links}
        rows={3}
        hint="Un lien par ligne, éventuellement précédé d'un libellé : Site du projet | https://…"
      />

      <fieldset className="field">
        <legend>Contributeurs et contributrices</legend>
        {members.length > 0 ? (
          <div className="choices">
            {members.map((member) => (
              <label key={member.userId}>
                <input
                  type="checkbox"
                  name={fields.memberContributors.name}
                  value={member.userId}
                  defaultChecked={checkedMembers.includes(member.userId)}
                />
                {member.name}
                {member.jobTitle ? `, ${member.jobTitle}` : ""}
              </label>
            ))}
          </div>
        ) : null}
        <ErrorList
          id={fields.memberContributors.errorId}
          errors={fields.memberContributors.errors}
        />
        <TextareaField
          label="Autres personnes à créditer"
          meta={fields.otherContributors}
          rows={3}
          hint="Une personne par ligne : Nom, fonction. Par exemple : Jeanne Martin, médiatrice numérique."
        />
      </fieldset>

      <Field
        label="Initiative dont vous vous êtes inspirés (facultatif)"
        meta={fields.inspiredBy}
        hint="Son adresse sur ce site, par exemple /initiatives/portail-citoyen."
      />
      {isAdmin ? (
        <Field
          label="Collectivité (administrateurs)"
          meta={fields.collectivityCode}
          hint="Code Insee ou Siren ; laissez vide pour votre propre collectivité."
        />
      ) : null}

      <fieldset
        className="field"
        aria-describedby={fields.status.errors ? fields.status.errorId : undefined}
      >
        <legend>Statut</legend>
        <div className="choices">
          {statusOptions.map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={fields.status.name}
                value={value}
                defaultChecked={(fields.status.initialValue ?? "draft") === value}
              />
              {value === "draft"
                ? "Brouillon (visible par votre collectivité seulement)"
                : value === "published"
                  ? "Publiée (visible par tous)"
                  : statusLabels.archived}
            </label>
          ))}
        </div>
        <ErrorList id={fields.status.errorId} errors={fields.status.errors} />
      </fieldset>

      <p className="actions">
        <button type="submit" name="intent" value="save">
          Enregistrer
        </button>
        <Link to={cancelTo}>Annuler</Link>
      </p>
    </Form>
  );
}
