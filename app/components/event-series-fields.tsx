import type { FieldMetadata } from "@conform-to/react";

import { Field, RadioGroup, TextareaField } from "./forms";

type Text = FieldMetadata<string | undefined>;

/** The fields of a series (creation and the organiser's changes). */
export function SeriesFields({
  fields,
}: {
  fields: { title: Text; description: Text; status: Text };
}) {
  return (
    <>
      <Field
        label="Titre du cycle"
        meta={fields.title}
        hint="Par exemple : Assises territoriales de l'identité numérique 2027."
      />
      <TextareaField
        label="Présentation et programme commun"
        meta={fields.description}
        hint="Markdown : **gras**, listes, liens."
        rows={8}
      />
      <RadioGroup
        legend="Statut"
        meta={fields.status}
        options={[
          {
            value: "draft",
            label: "Brouillon (visible de l'organisation et des collectivités invitées)",
          },
          { value: "published", label: "Publié (page publique)" },
        ]}
      />
    </>
  );
}
