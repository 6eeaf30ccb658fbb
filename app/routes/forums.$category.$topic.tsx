import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";

import { FollowForm } from "~/components/follow-form";
import { FormErrors, TextareaField } from "~/components/forms";
import { MemberChip } from "~/components/member-chip";
import { Pagination } from "~/components/pagination";
import {
  createPost,
  deletePost,
  editPost,
  firstUnreadPostId,
  getTopic,
  isModerator,
  listCategories,
  listPosts,
  markRead,
  moderatePost,
  moveTopic,
  pageOfPost,
  parseTopicParam,
  postPath,
  postRevisions,
  readerState,
  reportPost,
  setFollowLevel,
  setTopicFlags,
  topicPath,
  type Topic,
} from "~/models/forums.server";
import { getUser, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import {
  EditFormSchema,
  FollowFormSchema,
  POSTS_PER_PAGE,
  ReplyFormSchema,
  ReportFormSchema,
} from "~/utils/forum-schemas";
import { randomId } from "~/utils/ids.server";
import { RateLimitedError, retryAfterMessage } from "~/utils/rate-limit.server";
import { getSocket } from "~/utils/socket.client";
import { z } from "~/utils/validation";

import type { LivePost } from "../../realtime/protocol";
import { followTopic } from "../../realtime/topic-client";

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

async function loadTopic(args: LoaderFunctionArgs | ActionFunctionArgs): Promise<Topic> {
  const topicId = parseTopicParam(args.params.topic);
  const topic = topicId ? await getTopic(getUser(args), topicId) : null;
  if (!topic) throw new Response("Sujet introuvable.", { status: 404 });
  return topic;
}

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const topic = await loadTopic(args);
  const url = new URL(args.request.url);
  const canonical = topicPath(topic.categorySlug, topic);
  const search = url.searchParams;
  // Old links keep working after a move or a title change.
  if (url.pathname !== canonical) throw redirect(`${canonical}${url.search}`, 301);
  const permalink = idParam.safeParse(search.get("message"));
  if (search.has("message") && permalink.success) {
    const page = await pageOfPost(topic.id, permalink.data);
    throw redirect(`${canonical}?page=${page}#message-${permalink.data}`);
  }
  if (search.has("nonlu") && viewer) {
    const first = await firstUnreadPostId(viewer.id, topic.id);
    if (first) throw redirect(`${canonical}?message=${first}`);
  }
  const requested = idParam.safeParse(search.get("page") ?? "1");
  const page = requested.success ? requested.data : 1;
  const [posts, reader, categories] = await Promise.all([
    listPosts(viewer, topic, page),
    viewer ? readerState(viewer, topic) : Promise.resolve(null),
    isModerator(viewer) ? listCategories(viewer) : Promise.resolve([]),
  ]);
  const readBefore = reader?.lastReadPostId ?? 0;
  const followLevel = reader?.followLevel ?? null;
  const mayWrite = reader?.mayWrite ?? false;
  const totalPages = Math.max(1, Math.ceil(posts.total / POSTS_PER_PAGE));
  if (page > totalPages) throw redirect(`${canonical}?page=${totalPages}`);
  const lastOnPage = posts.items.at(-1)?.id ?? 0;
  if (viewer && lastOnPage > readBefore) await markRead(viewer.id, topic.id, lastOnPage);

  const pick = (key: string) => {
    const parsed = idParam.safeParse(search.get(key));
    return parsed.success ? parsed.data : null;
  };
  const quoteId = pick("citer");
  const quoted = quoteId ? posts.items.find((p) => p.id === quoteId) : undefined;
  const quote = quoted?.body
    ? `> **${quoted.authorName}** a écrit :\n${quoted.body
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")}\n\n`
    : "";
  const historyId = pick("historique");
  return {
    topic: {
      id: topic.id,
      title: topic.title,
      locked: topic.locked,
      pinned: topic.pinned,
      categorySlug: topic.categorySlug,
      categoryTitle: topic.categoryTitle,
      path: canonical,
    },
    posts: posts.items.map(({ body: _body, ...post }) => ({
      ...post,
      path: postPath(topic.categorySlug, topic, post.id),
      editable: post.mine || isModerator(viewer),
    })),
    page,
    total: posts.total,
    isLastPage: page >= totalPages,
    readBefore: viewer ? readBefore : null,
    viewer: viewer ? { id: viewer.id, name: viewer.name } : null,
    moderator: isModerator(viewer),
    mayWrite: mayWrite && (!topic.locked || isModerator(viewer)),
    followLevel,
    categories: categories.map((c) => ({ slug: c.slug, title: c.title })),
    idempotencyKey: randomId(),
    reply: { body: quote, replyToId: quoted ? quoted.id : null },
    editing: (() => {
      const id = pick("modifier");
      const post = id ? posts.items.find((p) => p.id === id) : undefined;
      return post && (post.mine || isModerator(viewer)) && !post.deletedAt
        ? { id: post.id, body: post.body }
        : null;
    })(),
    reporting: viewer ? pick("signaler") : null,
    history: historyId ? { id: historyId, ...(await postRevisions(viewer, historyId)) } : null,
  };
}

type ActionData = { intent: string; result?: SubmissionResult<string[]>; message?: string };

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const topic = await loadTopic(args);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (data: ActionData, status = 400, headers?: HeadersInit) =>
    json(data, { status, headers });
  const fail = (status: number, message: string) => {
    if (status === 404) throw new Response(message, { status: 404 });
    return reply({ intent, message }, status);
  };
  const postIdOf = () => {
    const parsed = idParam.safeParse(formData.get("postId"));
    if (!parsed.success) throw new Response("Message introuvable.", { status: 404 });
    return parsed.data;
  };

  if (intent === "reply") {
    const submission = parseWithZod(formData, { schema: ReplyFormSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() });
    try {
      const created = await createPost(user, { topicId: topic.id, ...submission.value });
      if (!created.ok) {
        if (created.status === 404) throw new Response("Sujet introuvable.", { status: 404 });
        return reply(
          {
            intent,
            result: submission.reply({ formErrors: created.formError ? [created.formError] : [] }),
          },
          created.status,
        );
      }
      const page = await pageOfPost(topic.id, created.value.postId);
      return redirect(
        `${topicPath(topic.categorySlug, topic)}?page=${page}#message-${created.value.postId}`,
      );
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return reply(
        {
          intent,
          result: submission.reply({ formErrors: [retryAfterMessage(error.retryAfterSeconds)] }),
        },
        429,
        { "Retry-After": String(error.retryAfterSeconds) },
      );
    }
  }
  if (intent === "edit") {
    const submission = parseWithZod(formData, { schema: EditFormSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() });
    const edited = await editPost(user, submission.value.postId, submission.value.body);
    if (!edited.ok) return fail(edited.status, edited.formError ?? "Modification impossible.");
    return redirect(edited.value.path);
  }
  if (intent === "delete") {
    const deleted = await deletePost(user, postIdOf());
    if (!deleted.ok) return fail(deleted.status, deleted.formError ?? "Suppression impossible.");
    return redirect(`${topicPath(topic.categorySlug, topic)}?supprime=1`);
  }
  if (intent === "report") {
    const submission = parseWithZod(formData, { schema: ReportFormSchema });
    if (submission.status !== "success") return reply({ intent, result: submission.reply() });
    const reported = await reportPost(user, submission.value.postId, submission.value.reason);
    if (!reported.ok) return fail(reported.status, reported.formError ?? "Signalement impossible.");
    return reply({ intent, message: "Merci : la modération va examiner ce message." }, 200);
  }
  if (intent === "follow") {
    const parsed = FollowFormSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return reply({ intent, message: "Niveau de suivi inconnu." });
    await setFollowLevel(user, { topicId: topic.id }, parsed.data.level);
    return reply({ intent, message: "Préférence de notification enregistrée." }, 200);
  }
  if (intent === "hide" || intent === "restore") {
    const done = await moderatePost(user, postIdOf(), intent);
    if (!done.ok) return fail(done.status, done.formError ?? "Action impossible.");
    return reply(
      { intent, message: intent === "hide" ? "Message masqué." : "Message rétabli." },
      200,
    );
  }
  if (["lock", "unlock", "pin", "unpin"].includes(intent)) {
    const flags =
      intent === "lock" || intent === "unlock"
        ? { locked: intent === "lock" }
        : { pinned: intent === "pin" };
    const done = await setTopicFlags(user, topic.id, flags);
    if (!done.ok) return fail(done.status, done.formError ?? "Action impossible.");
    return reply({ intent, message: "Sujet mis à jour." }, 200);
  }
  if (intent === "move") {
    const moved = await moveTopic(user, topic.id, String(formData.get("category") ?? ""));
    if (!moved.ok) return fail(moved.status, moved.formError ?? "Choisissez une catégorie.");
    return redirect(moved.value.path);
  }
  return reply({ intent, message: "Action inconnue." });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.topic.title ?? "Sujet"} — Forums — Territoires Internet` },
];

type PostView = {
  id: number;
  html: string;
  createdAt: string;
  editedAt: string | null;
  replyToId: number | null;
  authorName: string;
  authorJobTitle?: string | null;
  authorProfileKind?: "elu" | "agent" | "partenaire";
  authorCollectivity?: string | null;
  former?: boolean;
  deletedAt?: string | null;
  hiddenAt?: string | null;
  mine?: boolean;
  editable?: boolean;
  path: string;
};

function fromLive(post: LivePost, topicPathValue: string, viewerId: string | null): PostView {
  return {
    id: post.id,
    html: post.html,
    createdAt: post.createdAt,
    editedAt: post.editedAt ?? null,
    replyToId: post.replyToId ?? null,
    authorName: post.author.name,
    mine: viewerId !== null && post.author.id === viewerId,
    editable: viewerId !== null && post.author.id === viewerId,
    path: `${topicPathValue}?message=${post.id}`,
  };
}

export default function TopicPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { topic, viewer } = data;
  const [live, setLive] = useState<PostView[]>([]);
  const [changes, setChanges] = useState<
    Record<number, { html: string; editedAt: string | null } | "gone">
  >({});
  const [presence, setPresence] = useState<number | null>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const follower = useRef<ReturnType<typeof followTopic> | null>(null);
  const lastId = data.posts.at(-1)?.id ?? 0;
  const lastIdRef = useRef(lastId);
  lastIdRef.current = Math.max(lastIdRef.current, lastId);

  // Only the last page follows the topic live: new posts belong after it.
  useEffect(() => {
    if (!viewer || !data.isLastPage) return;
    const followed = followTopic(getSocket(), {
      topicId: topic.id,
      lastSeenId: lastIdRef.current,
      fetchAfter: async (after) => {
        const response = await fetch(`/api/v1/topics/${topic.id}/posts?after=${after}&limit=100`, {
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        return (await response.json()) as { items: LivePost[]; hasMore: boolean };
      },
      onPosts: (posts) =>
        setLive((current) => [...current, ...posts.map((p) => fromLive(p, topic.path, viewer.id))]),
      onUpdated: ({ post }) =>
        setChanges((current) => ({
          ...current,
          [post.id]: { html: post.html, editedAt: post.editedAt ?? null },
        })),
      onDeleted: ({ postId }) => setChanges((current) => ({ ...current, [postId]: "gone" })),
      onPresence: ({ count }) => setPresence(count),
      onTyping: ({ user }) => {
        if (user.id === viewer.id) return;
        setTyping(user.name);
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setTyping(null), 4000);
      },
    });
    follower.current = followed;
    return () => {
      followed.stop();
      follower.current = null;
    };
  }, [topic.id, data.isLastPage, viewer, topic.path]);

  const posts = useMemo(() => {
    const known = new Set(data.posts.map((p) => p.id));
    const merged: PostView[] = [...data.posts, ...live.filter((p) => !known.has(p.id))];
    return merged.map((post) => {
      const change = changes[post.id];
      if (change === "gone")
        return { ...post, html: "", deletedAt: post.deletedAt ?? new Date().toISOString() };
      return change ? { ...post, html: change.html, editedAt: change.editedAt } : post;
    });
  }, [data.posts, live, changes]);

  const [replyForm, replyFields] = useForm({
    id: `reponse-${data.idempotencyKey}`,
    lastResult: actionData?.intent === "reply" ? actionData.result : undefined,
    defaultValue: { body: data.reply.body },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplyFormSchema }),
  });
  const separatorBefore =
    data.readBefore !== null && data.readBefore > 0
      ? posts.find((p) => p.id > (data.readBefore ?? 0))?.id
      : undefined;

  return (
    <div className="container stack topic-page">
      <nav aria-label="Fil d'Ariane" className="breadcrumb">
        <Link to="/forums">Forums</Link> ›{" "}
        <Link to={`/forums/${topic.categorySlug}`}>{topic.categoryTitle}</Link>
      </nav>
      <h1>
        {topic.title} {topic.pinned ? <span className="badge">Épinglé</span> : null}{" "}
        {topic.locked ? <span className="badge">Verrouillé</span> : null}
      </h1>
      <p className="muted" aria-live="polite" data-testid="presence">
        {presence !== null && presence > 1 ? `${presence} membres lisent ce sujet` : null}
      </p>
      {actionData?.message ? (
        <div className="alert alert--info" role="status">
          {actionData.message}
        </div>
      ) : null}

      {data.history ? <History history={data.history} path={topic.path} /> : null}

      <ol className="post-list" aria-label="Messages">
        {posts.map((post) => (
          <li key={post.id}>
            {post.id === separatorBefore ? (
              <p className="new-separator" id="nouveaux">
                <span>Nouveaux messages</span>
              </p>
            ) : null}
            <Post
              post={post}
              viewerSignedIn={viewer !== null}
              moderator={data.moderator}
              mayWrite={data.mayWrite}
              editing={data.editing?.id === post.id ? data.editing.body : null}
              reporting={data.reporting === post.id}
              actionData={actionData}
            />
          </li>
        ))}
      </ol>
      <Pagination page={data.page} pageSize={POSTS_PER_PAGE} total={data.total} />
      <p aria-live="polite" className="typing muted" data-testid="typing">
        {typing ? `${typing} est en train d'écrire…` : null}
      </p>

      {data.mayWrite ? (
        <section aria-labelledby="repondre-titre" className="card" id="repondre">
          <h2 id="repondre-titre">Répondre</h2>
          <Form
            method="post"
            className="stack"
            {...getFormProps(replyForm)}
            noValidate
            data-brouillon="reponse"
          >
            <FormErrors errors={replyForm.errors} id={replyForm.errorId} />
            <input type="hidden" name="intent" value="reply" />
            <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
            {data.reply.replyToId ? (
              <input type="hidden" name="replyToId" value={data.reply.replyToId} />
            ) : null}
            <div onInput={() => follower.current?.typing()}>
              <TextareaField
                label="Votre message"
                meta={replyFields.body}
                rows={6}
                hint="Markdown accepté. Mentionnez un membre avec @prénom-nom."
              />
            </div>
            <button type="submit">Publier la réponse</button>
          </Form>
        </section>
      ) : viewer ? (
        <p className="card">
          {topic.locked
            ? "Ce sujet est verrouillé : il n'accepte plus de réponse."
            : "Vous pourrez répondre une fois votre adhésion validée par votre collectivité."}
        </p>
      ) : (
        <p className="card">
          <Link to={`/connexion?redirectTo=${encodeURIComponent(topic.path)}`}>Connectez-vous</Link>{" "}
          pour répondre.
        </p>
      )}

      {data.followLevel ? (
        <FollowForm
          id="topic-follow"
          label="Notifications pour ce sujet"
          level={data.followLevel}
          className="card follow-form"
        >
          <p className="hint">
            Suivre : chaque nouveau message. Normal : mentions et réponses à vos messages.
            Silencieux : rien.
          </p>
        </FollowForm>
      ) : null}

      {data.moderator ? (
        <section className="card stack" aria-labelledby="moderation-titre">
          <h2 id="moderation-titre">Modération du sujet</h2>
          <div className="actions">
            <Form method="post">
              <input type="hidden" name="intent" value={topic.locked ? "unlock" : "lock"} />
              <button type="submit" className="secondary">
                {topic.locked ? "Déverrouiller" : "Verrouiller"}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value={topic.pinned ? "unpin" : "pin"} />
              <button type="submit" className="secondary">
                {topic.pinned ? "Désépingler" : "Épingler"}
              </button>
            </Form>
          </div>
          <Form method="post" className="follow-form">
            <input type="hidden" name="intent" value="move" />
            <label htmlFor="move-category">Déplacer vers</label>
            <select id="move-category" name="category" defaultValue={topic.categorySlug}>
              {data.categories.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.title}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              Déplacer
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

function Post({
  post,
  viewerSignedIn,
  moderator,
  mayWrite,
  editing,
  reporting,
  actionData,
}: {
  post: PostView;
  viewerSignedIn: boolean;
  moderator: boolean;
  mayWrite: boolean;
  editing: string | null;
  reporting: boolean;
  actionData: ActionData | undefined;
}) {
  const anchor = `message-${post.id}`;
  if (post.deletedAt) {
    return (
      <article id={anchor} className="post post--gone">
        <p className="muted">Message supprimé.</p>
      </article>
    );
  }
  if (post.hiddenAt && !moderator) {
    return (
      <article id={anchor} className="post post--gone">
        <p className="muted">Message masqué par la modération.</p>
      </article>
    );
  }
  const errorsFor = (intent: string) =>
    actionData?.intent === intent ? actionData.result?.error : undefined;
  return (
    <article id={anchor} className="post" aria-labelledby={`${anchor}-auteur`} tabIndex={-1}>
      <header className="post__header">
        <span id={`${anchor}-auteur`}>
          {post.authorProfileKind ? (
            <MemberChip
              name={post.authorName}
              jobTitle={post.authorJobTitle ?? ""}
              profileKind={post.authorProfileKind}
              former={post.former}
              collectivityName={post.authorCollectivity ?? undefined}
            />
          ) : (
            <strong>{post.authorName}</strong>
          )}
        </span>
        <a href={post.path} className="post__time">
          <time dateTime={post.createdAt}>{formatDateTime(post.createdAt)}</time>
          <span className="visually-hidden"> (lien permanent)</span>
        </a>
        {post.editedAt ? (
          <Link
            to={`?historique=${post.id}#historique`}
            className="badge"
            title="Voir l'historique"
          >
            modifié
          </Link>
        ) : null}
        {post.hiddenAt ? <span className="badge badge--pending">masqué</span> : null}
      </header>
      {post.replyToId ? (
        <p className="post__reply-to muted">
          En réponse à <a href={`?message=${post.replyToId}`}>un message précédent</a>
        </p>
      ) : null}
      {editing !== null ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="postId" value={post.id} />
          <div className="field">
            <label htmlFor={`edit-${post.id}`}>Modifier le message</label>
            <textarea id={`edit-${post.id}`} name="body" rows={6} defaultValue={editing} />
            {errorsFor("edit")?.body?.map((e) => (
              <p key={e} className="field-error">
                {e}
              </p>
            ))}
          </div>
          <div className="actions">
            <button type="submit">Enregistrer la modification</button>
            <Link to={`?message=${post.id}`}>Annuler</Link>
          </div>
        </Form>
      ) : (
        // Sanitised on the server by renderMarkdown (allowlist), never raw user HTML.
        <div className="post__body prose" dangerouslySetInnerHTML={{ __html: post.html }} />
      )}
      {viewerSignedIn ? (
        <footer className="actions post__actions">
          {mayWrite ? <Link to={`?citer=${post.id}#repondre`}>Citer et répondre</Link> : null}
          {post.editable ? <Link to={`?modifier=${post.id}#${anchor}`}>Modifier</Link> : null}
          {post.editable ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button">
                Supprimer
              </button>
            </Form>
          ) : null}
          {!post.mine ? <Link to={`?signaler=${post.id}#${anchor}`}>Signaler</Link> : null}
          {moderator ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value={post.hiddenAt ? "restore" : "hide"} />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button">
                {post.hiddenAt ? "Rétablir" : "Masquer"}
              </button>
            </Form>
          ) : null}
        </footer>
      ) : null}
      {reporting ? (
        <Form method="post" className="stack report-form">
          <input type="hidden" name="intent" value="report" />
          <input type="hidden" name="postId" value={post.id} />
          <div className="field">
            <label htmlFor={`report-${post.id}`}>Pourquoi signalez-vous ce message ?</label>
            <textarea id={`report-${post.id}`} name="reason" rows={3} maxLength={1000} />
            {errorsFor("report")?.reason?.map((e) => (
              <p key={e} className="field-error">
                {e}
              </p>
            ))}
          </div>
          <button type="submit">Envoyer le signalement</button>
        </Form>
      ) : null}
    </article>
  );
}

function History({
  history,
  path,
}: {
  history: {
    id: number;
    current?: { html: string; editedAt: string | null };
    revisions?: Array<{ id: number; html: string; replacedAt: string }>;
  };
  path: string;
}) {
  if (!history.current || !history.revisions) {
    return (
      <p className="alert alert--warning" role="status">
        Historique indisponible pour ce message.
      </p>
    );
  }
  return (
    <section className="card stack" id="historique" aria-labelledby="historique-titre">
      <h2 id="historique-titre">Historique des modifications</h2>
      <p>
        <a href={`${path}?message=${history.id}`}>Revenir au message</a>
      </p>
      <h3>Version actuelle</h3>
      <div className="prose" dangerouslySetInnerHTML={{ __html: history.current.html }} />
      {history.revisions.map((revision) => (
        <div key={revision.id}>
          <h3>Version remplacée le {formatDateTime(revision.replacedAt)}</h3>
          <div className="prose" dangerouslySetInnerHTML={{ __html: revision.html }} />
        </div>
      ))}
    </section>
  );
}
