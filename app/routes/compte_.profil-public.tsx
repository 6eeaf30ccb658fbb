import { getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { CheckboxGroup, FormErrors, RadioGroup, TextareaField } from "~/components/forms";
import { Notice } from "~/components/notice";
import { approvedCollectivityOf } from "~/models/collectivities.server";
import { getProfileSettings, updateProfileSettings } from "~/models/member-profiles.server";
import { requireUser } from "~/utils/auth.server";
import {
  BIO_MAX_LENGTH,
  EXPERTISE_MAX,
  ProfileSettingsSchema,
  profileVisibilityLabels,
} from "~/utils/member-schemas";
import { themes } from "~/utils/themes";

/** What a member shows on their public profile, and to whom. */

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const [settings, collectivity] = await Promise.all([
    getProfileSettings(user.id),
    approvedCollectivityOf(user.id),
  ]);
  return { settings, userId: user.id, approved: collectivity !== null };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const submission = parseWithZod(await args.request.formData(), {
    schema: ProfileSettingsSchema,
  });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await updateProfileSettings(user.id, submission.value);
  return redirect("/compte/profil-public?enregistre=1");
}

export const meta: MetaFunction = () => [{ title: "Mon profil public — Territoires Internet" }];

function Toggle({ meta, label }: { meta: FieldMetadata<boolean | undefined>; label: string }) {
  return (
    <label className="checkbox">
      <input type="checkbox" name={meta.name} defaultChecked={meta.initialValue === "on"} /> {label}
    </label>
  );
}

export default function PublicProfileSettings() {
  const { settings, userId, approved } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "profil-public",
    lastResult,
    defaultValue: {
      ...settings,
      // conform reads ticked boxes as "on".
      ...Object.fromEntries(
        Object.entries(settings)
          .filter(([, value]) => typeof value === "boolean")
          .map(([key, value]) => [key, value ? "on" : undefined]),
      ),
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSettingsSchema }),
  });
  return (
    <div className="container narrow stack">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Mon profil public</h1>
      <p className="muted">
        Votre profil aide les autres collectivités à savoir qui contacter. Votre adresse
        électronique n'y apparaît jamais : on vous écrit par la plateforme.
      </p>
      {params.get("enregistre") ? (
        <Notice kind="success">
          Profil enregistré. <Link to={`/membres/${userId}`}>Voir mon profil</Link>
        </Notice>
      ) : null}
      {!approved ? (
        <Notice kind="info">
          Votre profil sera visible une fois votre adhésion validée par votre collectivité.
        </Notice>
      ) : null}
      <Form method="post" className="card stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <RadioGroup
          legend="Qui peut voir mon profil ?"
          meta={fields.visibility}
          options={Object.entries(profileVisibilityLabels).map(([value, label]) => ({
            value,
            label,
          }))}
        />
        <TextareaField
          label="Présentation (facultative)"
          meta={fields.bio}
          rows={4}
          hint={`${BIO_MAX_LENGTH} caractères au plus : ce que vous faites, ce sur quoi on peut vous solliciter.`}
        />
        <CheckboxGroup
          legend={`Thèmes sur lesquels vous pouvez aider (${EXPERTISE_MAX} au plus)`}
          meta={fields.expertise}
          options={themes.map((theme) => ({ value: theme.slug, label: theme.label }))}
          layout="checkbox-grid"
        />
        <fieldset className="field">
          <legend>Ce que montre mon profil</legend>
          <div className="choices">
            <Toggle meta={fields.showJobTitle} label="Ma fonction" />
            <Toggle meta={fields.showCollectivity} label="Ma collectivité" />
            <Toggle meta={fields.showInitiatives} label="Les initiatives où je suis crédité·e" />
            <Toggle meta={fields.showEvents} label="Les événements que j'organise" />
            <Toggle meta={fields.showPosts} label="Mes messages récents dans les forums publics" />
            <Toggle
              meta={fields.acceptsMessages}
              label="Les membres peuvent m'écrire par la plateforme (« Contacter »)"
            />
          </div>
        </fieldset>
        <button type="submit">Enregistrer mon profil public</button>
      </Form>
    </div>
  );
}
