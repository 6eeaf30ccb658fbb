import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { CheckboxGroup, FormErrors, RadioGroup } from "~/components/forms";
import { Notice } from "~/components/notice";
import { getMailPreferences, saveMailPreferences } from "~/models/mail-preferences.server";
import { requireUser } from "~/utils/auth.server";
import {
  frequencies,
  frequencyLabels,
  preferenceKindLabels,
  preferenceKinds,
} from "~/utils/notification-preferences";
import { themes, themeSlugs } from "~/utils/themes";
import { z } from "~/utils/validation";

const pace = z.enum(frequencies, { error: "Choisissez un rythme pour ces courriels." });
const PreferencesSchema = z.object({
  mentions: pace,
  "followed-topics": pace,
  initiatives: pace,
  events: pace,
  label: pace,
  moderation: pace,
  themes: z
    .array(z.enum(themeSlugs, { error: "Ce thème n'existe pas." }))
    .max(themeSlugs.length)
    .default([]),
});

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  return getMailPreferences(user.id);
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const submission = parseWithZod(await args.request.formData(), { schema: PreferencesSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const { themes: chosen, ...paces } = submission.value;
  await saveMailPreferences(user.id, { frequencies: paces, themes: chosen });
  return redirect("/compte/notifications?enregistre=1");
}

export const meta: MetaFunction = () => [
  { title: "Préférences de courriels — Territoires Internet" },
];

export default function MailPreferencesPage() {
  const preferences = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "preferences",
    lastResult: data?.result,
    defaultValue: { ...preferences.frequencies, themes: preferences.themes },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PreferencesSchema }),
  });
  const paceOptions = frequencies.map((value) => ({ value, label: frequencyLabels[value] }));
  return (
    <div className="container narrow stack">
      <h1>Préférences de courriels</h1>
      {searchParams.get("enregistre") ? (
        <Notice kind="success">Vos préférences sont enregistrées.</Notice>
      ) : null}
      <p>
        Choisissez, pour chaque sorte de nouvelles, de les recevoir tout de suite, dans un résumé
        quotidien ou hebdomadaire, ou jamais. Un résumé n'est envoyé que s'il y a du nouveau.
      </p>
      <p className="muted">
        Les courriels liés à vos inscriptions à des événements (rappel la veille, place confirmée,
        changement ou annulation) sont toujours envoyés : ils cessent si vous annulez votre
        inscription.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        {preferenceKinds.map((kind) => (
          <RadioGroup
            key={kind}
            legend={preferenceKindLabels[kind]}
            meta={fields[kind]}
            options={paceOptions}
          />
        ))}
        <p>
          {preferences.area
            ? `Votre département est celui de votre collectivité, ${preferences.area.collectivityName}.`
            : "Rattachez-vous à une collectivité pour recevoir les nouvelles de votre département."}{" "}
          Choisissez aussi les thèmes qui vous intéressent :
        </p>
        <CheckboxGroup
          legend="Vos thèmes"
          meta={fields.themes}
          options={themes.map((theme) => ({ value: theme.slug, label: theme.label }))}
          layout="checkbox-grid"
        />
        <div>
          <button type="submit">Enregistrer mes préférences</button>
        </div>
      </Form>
      <p>
        <Link to="/compte">Retour à mon compte</Link>
      </p>
    </div>
  );
}
