import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { CollectivityPicker, type Candidate } from "~/components/collectivity-picker";
import { Field, FormErrors, RadioGroup, SelectField } from "~/components/forms";
import { Notice } from "~/components/notice";
import { createAccount } from "~/models/accounts.server";
import { collectivityLabel, resolveCollectivity } from "~/models/collectivities.server";
import { acceptInvitation, readInvitation } from "~/models/invitations.server";
import { listPartners, partnerCodeOf } from "~/models/organisations.server";
import { createSession } from "~/utils/auth.server";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited } from "~/utils/replies.server";
import {
  emailSchema,
  jobTitleSchema,
  nameSchema,
  passwordSchema,
  profileKindLabels,
  profileKindSchema,
  z,
} from "~/utils/validation";

const SignupSchema = z
  .object({
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    jobTitle: jobTitleSchema,
    profileKind: profileKindSchema,
    // Forms and scripts written before partners existed send no choice: a collectivity.
    represents: z
      .enum(["collectivite", "partenaire"], {
        error: "Dites si vous représentez une collectivité ou un partenaire.",
      })
      .default("collectivite"),
    collectivity: z.string().trim().max(200, "Ce nom de collectivité est trop long.").optional(),
    collectivityCode: z.string().max(20).optional(),
    partner: z.string().trim().max(80).optional(),
    // The token of an invitation ("Invitez une commune voisine"), from the mailed link.
    invitation: z.string().max(64).optional(),
  })
  .superRefine((value, context) => {
    // Each choice asks for its own organisation; the other field is ignored.
    if (value.represents === "collectivite" && (value.collectivity ?? "").length < 2) {
      context.addIssue({
        code: "custom",
        path: ["collectivity"],
        message: "Indiquez votre collectivité.",
      });
    }
    if (value.represents === "partenaire" && !value.partner) {
      context.addIssue({
        code: "custom",
        path: ["partner"],
        message: "Choisissez votre organisation.",
      });
    }
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/compte");
  const token = new URL(request.url).searchParams.get("invitation");
  const invitation = token ? await readInvitation(token) : null;
  const partners = await listPartners();
  return {
    partners: partners.map((p) => ({ slug: p.slug, name: p.name })),
    invitation: invitation?.ok
      ? {
          token: token!,
          email: invitation.email,
          collectivity: collectivityLabel({
            name: invitation.toCollectivityName,
            code: invitation.toCollectivityCode,
          }),
          inviter: `${invitation.inviterName} (${invitation.fromCollectivityName})`,
          message: invitation.message,
        }
      : null,
    invitationError: invitation && !invitation.ok ? invitation.message : null,
  };
}

/** The directory code of the organisation chosen, or the field error to show. */
async function organisationOf(
  input: z.output<typeof SignupSchema>,
): Promise<{ code?: string; error?: Record<string, string[]>; candidates: Candidate[] }> {
  if (input.represents === "partenaire") {
    const code = await partnerCodeOf(input.partner ?? "");
    return code
      ? { code, candidates: [] }
      : { error: { partner: ["Cette organisation partenaire est introuvable."] }, candidates: [] };
  }
  const resolution = await resolveCollectivity(input.collectivityCode || input.collectivity || "");
  if (resolution.status === "found") return { code: resolution.code, candidates: [] };
  const message =
    resolution.status === "ambiguous"
      ? "Plusieurs collectivités correspondent : choisissez la vôtre ci-dessous."
      : "Cette collectivité est introuvable dans l'annuaire.";
  return {
    error: { collectivity: [message] },
    candidates: resolution.status === "ambiguous" ? resolution.candidates : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: SignupSchema });
  if (submission.status !== "success") {
    return json(
      { result: submission.reply({ hideFields: ["password"] }), candidates: [] as Candidate[] },
      { status: 400 },
    );
  }
  const { invitation: invitationToken, ...input } = submission.value;
  const invitation = invitationToken ? await readInvitation(invitationToken) : null;
  if (invitation && !invitation.ok) {
    return json(
      {
        result: submission.reply({ formErrors: [invitation.message], hideFields: ["password"] }),
        candidates: [] as Candidate[],
      },
      { status: 410 },
    );
  }
  const organisation = await organisationOf(input);
  if (!organisation.code) {
    return json(
      {
        result: submission.reply({ fieldErrors: organisation.error, hideFields: ["password"] }),
        candidates: organisation.candidates,
      },
      { status: 400 },
    );
  }
  const limited = await limitReached("signup-ip", context.clientIp);
  if (limited) {
    return formRateLimited(limited, submission, {
      hideFields: ["password"],
      extra: { candidates: [] },
    });
  }
  const created = await createAccount({
    ...input,
    collectivityCode: organisation.code,
    // Following the invitation mailed to this very address proves it.
    awaitsVerification: invitation?.email !== input.email,
  });
  if (!created.ok) {
    return json(
      {
        result: submission.reply({ fieldErrors: created.fieldErrors, hideFields: ["password"] }),
        candidates: [],
      },
      { status: created.status === 409 ? 400 : created.status },
    );
  }
  if (invitationToken) await acceptInvitation(invitationToken, created.value.userId);
  const cookie = await createSession(created.value.userId, context.auth.session?.id);
  return redirect("/compte?bienvenue=1", { headers: { "Set-Cookie": cookie } });
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [{ title: "Rejoindre le réseau — Territoires Internet" }];

export default function SignupPage() {
  const data = useActionData<typeof action>();
  const { partners, invitation, invitationError } = useLoaderData<typeof loader>();
  const [form, fields] = useForm({
    id: "inscription",
    lastResult: data?.result,
    defaultValue: invitation
      ? { email: invitation.email, collectivity: invitation.collectivity }
      : undefined,
    constraint: undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
  });
  return (
    <div className="narrow">
      <h1>Rejoindre le réseau</h1>
      <p>
        Élu·e, agent·e d'une collectivité ou membre d'une organisation partenaire du conseil : créez
        votre compte. Le ou la référent·e de votre organisation (ou l'équipe du réseau) validera
        votre adhésion ; en attendant, vous pouvez tout consulter.
      </p>
      {invitation ? (
        <Notice kind="info">
          <p>
            {invitation.inviter} vous invite à rejoindre le réseau : votre adresse et votre
            collectivité sont déjà remplies.
          </p>
          {invitation.message ? <p>« {invitation.message} »</p> : null}
        </Notice>
      ) : null}
      {invitationError ? <Notice kind="warning">{invitationError}</Notice> : null}
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        {invitation ? <input type="hidden" name="invitation" value={invitation.token} /> : null}
        <Field label="Nom et prénom" meta={fields.name} autoComplete="name" />
        <Field label="Adresse électronique" meta={fields.email} type="email" autoComplete="email" />
        <Field
          label="Mot de passe"
          meta={fields.password}
          type="password"
          autoComplete="new-password"
          hint="Au moins 12 caractères. Une phrase de plusieurs mots est plus sûre et plus facile à retenir."
        />
        <Field
          label="Fonction"
          meta={fields.jobTitle}
          autoComplete="organization-title"
          hint="Par exemple : adjointe au maire chargée du numérique, DSI, chargé de mission."
        />
        <RadioGroup
          legend="Vous êtes"
          meta={fields.profileKind}
          options={Object.entries(profileKindLabels).map(([value, label]) => ({ value, label }))}
        />
        <RadioGroup
          legend="Vous représentez"
          meta={fields.represents}
          options={[
            { value: "collectivite", label: "Je représente une collectivité" },
            { value: "partenaire", label: "Je représente un partenaire" },
          ]}
        />
        <CollectivityPicker
          name="collectivity"
          label="Votre collectivité (si vous représentez une collectivité)"
          defaultValue={fields.collectivity.initialValue}
          errors={fields.collectivity.errors}
          candidates={data?.candidates}
        />
        <SelectField
          label="Votre organisation (si vous représentez un partenaire)"
          meta={fields.partner}
        >
          <option value="">Choisissez…</option>
          {partners.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <button type="submit">Créer mon compte</button>
      </Form>
      <p>
        Déjà membre ? <Link to="/connexion">Se connecter</Link>
      </p>
    </div>
  );
}
