import type { FieldMetadata } from "@conform-to/react";

import { Field, SelectField } from "~/components/forms";

/** Labels of the campaign dates, in the order of the campaign. */
export const campaignDateLabels = [
  { name: "opensAt", label: "Ouverture de la campagne" },
  { name: "registrationDeadline", label: "Fin des inscriptions (minute incluse)" },
  { name: "submissionDeadline", label: "Date limite de dépôt (minute incluse)" },
  { name: "juryStartsAt", label: "Début du jury" },
  { name: "juryEndsAt", label: "Fin du jury" },
  { name: "publishedAt", label: "Publication du palmarès" },
] as const;

type CampaignFieldName = "title" | "questionnaireId" | (typeof campaignDateLabels)[number]["name"];

/** The fields a campaign is created and edited with: title, questionnaire, dates in Paris time. */
export function CampaignFields({
  fields,
  questionnaires,
}: {
  fields: Record<CampaignFieldName, FieldMetadata<string | undefined>>;
  questionnaires: Array<{ id: string; label: string }>;
}) {
  return (
    <>
      <Field label="Titre" meta={fields.title} />
      <SelectField label="Questionnaire" meta={fields.questionnaireId}>
        {questionnaires.map((q) => (
          <option key={q.id} value={q.id}>
            {q.label}
          </option>
        ))}
      </SelectField>
      <div className="form-columns">
        {campaignDateLabels.map((date) => (
          <Field
            key={date.name}
            label={date.label}
            meta={fields[date.name]}
            type="datetime-local"
          />
        ))}
      </div>
    </>
  );
}
