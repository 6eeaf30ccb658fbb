import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { FormErrors, TextareaField } from "~/components/forms";
import { ThemeChip } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import { sendMemberMessage } from "~/models/member-messages.server";
import { getMemberProfile } from "~/models/member-profiles.server";
import { getUser, requirePublisher } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { ContactSchema } from "~/utils/member-schemas";
import { RateLimitedError, unlessRateLimited } from "~/utils/rate-limit.server";
import { formRateLimited, invariantResponse } from "~/utils/replies.server";
import { profileKindLabels } from "~/utils/validation";

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  // Missing, without an approved membership, hidden, or members-only for a visitor: one answer.
  const profile = await getMemberProfile(args.params.id ?? "", viewer);
  invariantResponse(profile, "Membre introuvable.");
  return { profile, signedIn: viewer !== null };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const submission = parseWithZod(await args.request.formData(), { schema: ContactSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const sent = await unlessRateLimited(() =>
    sendMemberMessage(user, args.params.id ?? "", submission.value.body),
  );
  if (sent instanceof RateLimitedError) return formRateLimited(sent, submission);
  if (!sent.ok) {
    invariantResponse(sent.status !== 404, "Membre introuvable.");
    return json(
      { result: submission.reply({ formErrors: [sent.formError ?? "Envoi impossible."] }) },
      { status: sent.status },
    );
  }
  return redirect(`/membres/${args.params.id}?envoye=1#contacter`);
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.name} — Membres — Territoires Internet` : "Membre introuvable" },
  // Only profiles opened to everyone may be listed by search engines.
  ...(data?.profile.visibility === "public" ? [] : [{ name: "robots", content: "noindex" }]),
];

export default function MemberPage() {
  const { profile, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ result?: SubmissionResult<string[]> }>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    id: "contacter-formulaire",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ContactSchema }),
  });
  const role = profile.jobTitle || profileKindLabels[profile.profileKind];
  return (
    <div className="container narrow stack">
      <p>
        <Link to="/membres">← Membres du réseau</Link>
      </p>
      {profile.own ? (
        <Notice kind="info">
          Votre profil tel que les autres le voient
          {profile.visibility === "hidden" ? " (masqué : personne d'autre ne le voit)" : ""}.{" "}
          <Link to="/compte/profil-public">Choisir ce qui est montré</Link>
        </Notice>
      ) : null}
      <header className="card stack profile-header">
        <h1>{profile.name}</h1>
        <p className="profile-header__role">
          {role}
          {profile.collectivity ? (
            <>
              {" — "}
              <Link to={`/collectivites/${profile.collectivity.code}`}>
                {profile.collectivity.name}
              </Link>
            </>
          ) : null}
        </p>
        {profile.bio ? <p className="profile-header__bio">{profile.bio}</p> : null}
        {profile.expertise.length > 0 ? (
          <div>
            <h2 className="h-small">Peut aider sur</h2>
            <ul className="theme-list">
              {profile.expertise.map((slug) => (
                <li key={slug}>
                  <Link to={`/membres?theme=${slug}`} className="chip-link">
                    <ThemeChip slug={slug} />
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </header>

      {profile.initiatives.length > 0 ? (
        <section className="card stack" aria-labelledby="initiatives">
          <h2 id="initiatives">Initiatives auxquelles {profile.name} a contribué</h2>
          <ul>
            {profile.initiatives.map((initiative) => (
              <li key={initiative.id}>
                <Link to={`/initiatives/${initiative.slug}`}>{initiative.title}</Link>
                <span className="muted">
                  {" "}
                  — {initiative.collectivityName}
                  {initiative.role ? `, ${initiative.role}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {profile.events.length > 0 ? (
        <section className="card stack" aria-labelledby="evenements">
          <h2 id="evenements">Événements organisés</h2>
          <ul>
            {profile.events.map((event) => (
              <li key={event.id}>
                <Link to={`/evenements/${event.slug}`}>{event.title}</Link>
                <span className="muted">
                  {" "}
                  — {formatDate(event.startsAt, event.timeZone)}
                  {event.status === "cancelled" ? " (annulé)" : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {profile.posts.length > 0 ? (
        <section className="card stack" aria-labelledby="messages">
          <h2 id="messages">Messages récents dans les forums</h2>
          <ul className="stack">
            {profile.posts.map((post) => (
              <li key={post.id}>
                <Link to={post.path}>{post.topicTitle}</Link>{" "}
                <span className="muted">— {formatDateTime(post.createdAt)}</span>
                <p className="muted">{post.excerpt}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="contacter-titre" id="contacter">
        <h2 id="contacter-titre">Contacter {profile.name}</h2>
        {params.get("envoye") ? (
          <Notice kind="success">
            Message envoyé : {profile.name} le lira sur la plateforme et pourra vous répondre.
          </Notice>
        ) : null}
        {profile.own ? (
          <p className="muted">Les autres membres vous écrivent d'ici, sans voir votre adresse.</p>
        ) : !profile.acceptsMessages ? (
          <p>{profile.name} ne reçoit pas de messages par la plateforme.</p>
        ) : !signedIn ? (
          <p>
            <Link
              to={`/connexion?redirectTo=${encodeURIComponent(`/membres/${profile.id}#contacter`)}`}
            >
              Connectez-vous
            </Link>{" "}
            pour écrire à {profile.name} : votre message passe par la plateforme, sans échange
            d'adresse.
          </p>
        ) : (
          <Form method="post" className="stack" {...getFormProps(form)} noValidate>
            <FormErrors errors={form.errors} id={form.errorId} />
            <TextareaField
              label="Votre message"
              meta={fields.body}
              rows={5}
              hint="Présentez-vous et dites pourquoi vous écrivez. Votre adresse électronique n'est pas transmise."
            />
            <button type="submit">Envoyer le message</button>
          </Form>
        )}
      </section>
    </div>
  );
}
