import {
  getFormProps,
  getInputProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { Field, FormErrors, RadioGroup } from "~/components/forms";
import { Notice } from "~/components/notice";
import { deleteAccount } from "~/models/account-lifecycle.server";
import {
  changePassword,
  getProfile,
  listApiTokens,
  updateProfile,
  verifyCredentialsOfUser,
} from "~/models/accounts.server";
import {
  blankSessionCookie,
  createApiToken,
  requireUser,
  revokeApiToken,
} from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
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

const currentPasswordSchema = z.string({ error: "Le mot de passe actuel est requis." }).max(256);
// After a new password or email, API tokens are revoked unless this box is ticked.
const keepApiTokensSchema = z.boolean().default(false);

const ProfileSchema = z.object({
  intent: z.literal("profile"),
  name: nameSchema,
  email: emailSchema,
  jobTitle: jobTitleSchema,
  profileKind: profileKindSchema,
  currentPassword: currentPasswordSchema.optional(),
  keepApiTokens: keepApiTokensSchema,
});
const PasswordSchema = z.object({
  intent: z.literal("password"),
  currentPassword: currentPasswordSchema,
  newPassword: passwordSchema,
  keepApiTokens: keepApiTokensSchema,
});
const TokenSchema = z.object({
  intent: z.literal("create-token"),
  tokenName: z
    .string({ error: "Donnez un nom au jeton." })
    .trim()
    .min(2, "Donnez un nom au jeton (2 caractères au moins).")
    .max(80, "Le nom du jeton ne peut pas dépasser 80 caractères."),
});
const RevokeSchema = z.object({ intent: z.literal("revoke-token"), tokenId: z.string().max(64) });
const DeleteSchema = z.object({
  intent: z.literal("delete"),
  confirmPassword: z.string({ error: "Saisissez votre mot de passe pour confirmer." }).max(256),
});

const statusLabels = {
  pending: "en attente de validation",
  approved: "validée",
  former: "ancienne",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const [profile, tokens] = await Promise.all([getProfile(user.id), listApiTokens(user.id)]);
  if (!profile) throw redirect("/connexion");
  return { profile, tokens };
}

type ActionData = {
  intent: string;
  result?: SubmissionResult<string[]>;
  createdToken?: string;
  message?: string;
};

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (data: ActionData, status = 400) => json(data, { status });

  const sessionId = args.context.auth.session?.id;
  // Each check of the current password runs argon2: counted per person, like logins.
  const passwordCheckLimited = () => limitReached("password-check", user.id);

  if (intent === "profile") {
    const submission = parseWithZod(formData, { schema: ProfileSchema });
    const hide = { hideFields: ["currentPassword"] };
    if (submission.status !== "success") return reply({ intent, result: submission.reply(hide) });
    const { intent: _intent, currentPassword, keepApiTokens, ...input } = submission.value;
    if (input.email.toLowerCase() !== user.email.toLowerCase()) {
      const limited = await passwordCheckLimited();
      if (limited) return formRateLimited(limited, submission, { ...hide, extra: { intent } });
    }
    const updated = await updateProfile(user.id, input, { currentPassword, keepApiTokens });
    if (!updated.ok)
      return reply({
        intent,
        result: submission.reply({ ...hide, fieldErrors: updated.fieldErrors }),
      });
    // The address itself changes only once the link mailed to it is followed.
    const message = updated.value.emailChangePending
      ? `Profil enregistré. Pour changer d'adresse, suivez le lien envoyé à ${input.email} : le changement prendra effet à ce moment-là (vos autres sessions seront alors fermées${keepApiTokens ? "" : " et vos jetons d'API révoqués"}).`
      : "Profil enregistré.";
    return reply({ intent, result: submission.reply(hide), message }, 200);
  }
  if (intent === "password") {
    const submission = parseWithZod(formData, { schema: PasswordSchema });
    const hide = { hideFields: ["currentPassword", "newPassword"] };
    if (submission.status !== "success") return reply({ intent, result: submission.reply(hide) });
    const limited = await passwordCheckLimited();
    if (limited) return formRateLimited(limited, submission, { ...hide, extra: { intent } });
    const { keepApiTokens } = submission.value;
    const changed = await changePassword(
      user.id,
      submission.value.currentPassword,
      submission.value.newPassword,
      { sessionId, apiTokens: keepApiTokens },
    );
    if (!changed.ok)
      return reply({
        intent,
        result: submission.reply({ ...hide, fieldErrors: changed.fieldErrors }),
      });
    return reply(
      {
        intent,
        result: submission.reply({ ...hide, resetForm: true }),
        message: `Mot de passe modifié : vos autres sessions sont fermées${keepApiTokens ? "" : " et vos jetons d'API révoqués"}.`,
      },
      200,
    );
  }
  if (intent === "create-token") {
    const submission = parseWithZod(formData, { schema: TokenSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() });
    const limited = await limitReached("token-create", user.id);
    if (limited) return formRateLimited(limited, submission, { extra: { intent } });
    const { token } = await createApiToken(user.id, submission.value.tokenName);
    return reply(
      { intent, result: submission.reply({ resetForm: true }), createdToken: token },
      201,
    );
  }
  if (intent === "revoke-token") {
    const submission = parseWithZod(formData, { schema: RevokeSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() });
    const revoked = await revokeApiToken(user.id, submission.value.tokenId);
    if (!revoked) throw new Response("Jeton introuvable.", { status: 404 });
    return reply({ intent, message: "Jeton révoqué." }, 200);
  }
  if (intent === "delete") {
    const submission = parseWithZod(formData, { schema: DeleteSchema });
    const hide = { hideFields: ["confirmPassword"] };
    if (submission.status !== "success") return reply({ intent, result: submission.reply(hide) });
    const limited = await passwordCheckLimited();
    if (limited) return formRateLimited(limited, submission, { ...hide, extra: { intent } });
    if (!(await verifyCredentialsOfUser(user.id, submission.value.confirmPassword))) {
      return reply({
        intent,
        result: submission.reply({
          ...hide,
          fieldErrors: { confirmPassword: ["Mot de passe incorrect."] },
        }),
      });
    }
    await deleteAccount(user.id);
    return redirect("/?compte-supprime=1", { headers: { "Set-Cookie": blankSessionCookie() } });
  }
  return reply({ intent, message: "Action inconnue." });
}

export { keepActionHeaders as headers } from "~/utils/headers";

function KeepTokensCheckbox({ meta }: { meta: FieldMetadata<boolean | undefined> }) {
  const props = getInputProps(meta, { type: "checkbox" });
  return (
    <div className="field">
      <label>
        <input {...props} key={props.key} /> Garder mes jetons d'API actifs
      </label>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Mon compte — Territoires Internet" }];

export default function AccountPage() {
  const { profile, tokens } = useLoaderData<typeof loader>();
  const data = useActionData<ActionData>();
  const [searchParams] = useSearchParams();
  const resultFor = (intent: string) => (data?.intent === intent ? data.result : undefined);
  const [profileForm, profileFields] = useForm<z.input<typeof ProfileSchema>>({
    id: "profil",
    lastResult: resultFor("profile"),
    defaultValue: {
      name: profile.name,
      email: profile.email,
      jobTitle: profile.jobTitle,
      profileKind: profile.profileKind,
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  });
  const [passwordForm, passwordFields] = useForm({
    id: "mot-de-passe",
    lastResult: resultFor("password"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }),
  });
  const [tokenForm, tokenFields] = useForm({
    id: "jeton",
    lastResult: resultFor("create-token"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TokenSchema }),
  });
  const [deleteForm, deleteFields] = useForm({
    id: "suppression",
    lastResult: resultFor("delete"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeleteSchema }),
  });
  const membership = profile.membership;
  return (
    <div className="container stack">
      <h1>Mon compte</h1>
      {searchParams.get("bienvenue") ? (
        <Notice kind="success">Bienvenue {profile.name} ! Votre compte est créé.</Notice>
      ) : null}
      {data?.message ? <Notice kind="success">{data.message}</Notice> : null}
      <section className="card" aria-labelledby="adhesion">
        <h2 id="adhesion">Ma collectivité</h2>
        {membership ? (
          <p>
            <Link to={`/collectivites/${membership.collectivityCode}`}>
              {membership.collectivityName}
            </Link>{" "}
            — adhésion{" "}
            <span className={`badge badge--${membership.status}`}>
              {statusLabels[membership.status]}
            </span>
            {membership.isReferent ? " — vous êtes référent·e" : null}
          </p>
        ) : (
          <p>Vous n'êtes rattaché·e à aucune collectivité.</p>
        )}
        {membership?.status === "pending" ? (
          <p className="muted">
            Tant que votre adhésion n'est pas validée, vous pouvez tout consulter mais pas encore
            publier.
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="profil-titre">
        <h2 id="profil-titre">Profil</h2>
        <Form method="post" className="stack" {...getFormProps(profileForm)} noValidate>
          <input type="hidden" name="intent" value="profile" />
          <Field label="Nom et prénom" meta={profileFields.name} autoComplete="name" />
          <Field
            label="Adresse électronique"
            meta={profileFields.email}
            type="email"
            autoComplete="email"
          />
          <Field label="Fonction" meta={profileFields.jobTitle} />
          <RadioGroup
            legend="Vous êtes"
            meta={profileFields.profileKind}
            options={Object.entries(profileKindLabels).map(([value, label]) => ({ value, label }))}
          />
          <Field
            label="Mot de passe actuel (pour changer d'adresse électronique)"
            meta={profileFields.currentPassword}
            type="password"
            autoComplete="current-password"
            hint="Changer d'adresse ferme vos sessions sur les autres appareils."
          />
          <KeepTokensCheckbox meta={profileFields.keepApiTokens} />
          <div>
            <button type="submit">Enregistrer le profil</button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="courriels-titre">
        <h2 id="courriels-titre">Courriels et notifications</h2>
        <p>
          Choisissez ce que vous recevez par courriel, aussitôt ou en résumé :{" "}
          <Link to="/compte/notifications">régler mes courriels</Link>.
        </p>
      </section>

      <section className="card" aria-labelledby="mdp-titre">
        <h2 id="mdp-titre">Mot de passe</h2>
        <p className="muted">
          Changer de mot de passe ferme vos sessions sur les autres appareils et révoque vos jetons
          d'API, sauf si vous choisissez de les garder.
        </p>
        <Form method="post" className="stack" {...getFormProps(passwordForm)} noValidate>
          <input type="hidden" name="intent" value="password" />
          <Field
            label="Mot de passe actuel"
            meta={passwordFields.currentPassword}
            type="password"
            autoComplete="current-password"
          />
          <Field
            label="Nouveau mot de passe"
            meta={passwordFields.newPassword}
            type="password"
            autoComplete="new-password"
            hint="Au moins 12 caractères."
          />
          <KeepTokensCheckbox meta={passwordFields.keepApiTokens} />
          <div>
            <button type="submit">Changer le mot de passe</button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="api-titre">
        <h2 id="api-titre">Jetons d'API</h2>
        <p className="muted">
          Pour connecter un outil à l'<a href="/api/v1/openapi.json">API</a> : envoyez le jeton dans
          l'en-tête <code>Authorization: Bearer …</code>. Il agit avec vos droits.
        </p>
        {data?.createdToken ? (
          <Notice kind="warning">
            <p>Copiez ce jeton maintenant : il ne sera plus affiché.</p>
            <code className="token">{data.createdToken}</code>
          </Notice>
        ) : null}
        {tokens.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Vos jetons actifs</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Début</th>
                  <th scope="col">Créé le</th>
                  <th scope="col">Dernière utilisation</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{formatDateTime(token.createdAt)}</td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "jamais"}</td>
                    <td>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="revoke-token" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button type="submit" className="secondary button--small">
                          Révoquer <span className="visually-hidden">le jeton {token.name}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Aucun jeton actif.</p>
        )}
        <Form method="post" className="stack" {...getFormProps(tokenForm)} noValidate>
          <FormErrors errors={tokenForm.errors} />
          <input type="hidden" name="intent" value="create-token" />
          <Field
            label="Nom du nouveau jeton"
            meta={tokenFields.tokenName}
            hint="Par exemple : site de la commune, tableur de suivi."
          />
          <div>
            <button type="submit" className="secondary">
              Créer un jeton
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="donnees-titre">
        <h2 id="donnees-titre">Mes données</h2>
        <p>
          <a href="/compte/export" download>
            Télécharger toutes mes données (JSON)
          </a>
        </p>
        <h3>Supprimer mon compte</h3>
        <p>
          Votre profil, vos sessions et vos jetons sont supprimés. Vos contributions publiques
          restent, attribuées à « ancien membre ».
        </p>
        <Form method="post" className="stack" {...getFormProps(deleteForm)} noValidate>
          <input type="hidden" name="intent" value="delete" />
          <Field
            label="Mot de passe (confirmation)"
            meta={deleteFields.confirmPassword}
            type="password"
            autoComplete="current-password"
          />
          <div>
            <button type="submit" className="danger">
              Supprimer définitivement mon compte
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
