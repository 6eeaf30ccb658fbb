import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { FollowForm } from "~/components/follow-form";
import { FormErrors, TextareaField } from "~/components/forms";
import { ForumPost } from "~/components/forum-post";
import { PostHistory } from "~/components/forum-post-history";
import { TopicModeration } from "~/components/forum-topic-moderation";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { reportPost } from "~/models/forum-moderation.server";
import { createPost, deletePost, editPost, postRevisions } from "~/models/forum-posts.server";
import {
  firstUnreadPostId,
  markRead,
  readerState,
  setFollowLevel,
} from "~/models/forum-reading.server";
import {
  isModerator,
  listCategories,
  listPosts,
  pageOfPost,
  topicPath,
} from "~/models/forums.server";
import { getUser, requirePublisher, requireUser } from "~/utils/auth.server";
import { useLiveTopic } from "~/utils/forum-live-topic";
import { highlightParam, idParam, loadTopic, moderationPathOf } from "~/utils/forum-routes.server";
import {
  DeleteFormSchema,
  EditFormSchema,
  FollowFormSchema,
  POSTS_PER_PAGE,
  ReplyFormSchema,
  ReportFormSchema,
} from "~/utils/forum-schemas";
import { keepActionHeaders } from "~/utils/headers";
import { randomId } from "~/utils/ids.server";
import { highlightTerms } from "~/utils/markdown.server";
import { cachePage, pageTags } from "~/utils/page-cache.server";
import { RateLimitedError, unlessRateLimited } from "~/utils/rate-limit.server";
import { formRateLimited, invariantResponse } from "~/utils/replies.server";

/** What the topic's moderation route did, shown after its redirect (`?moderation=`). */
const moderationDone: Record<string, string> = {
  hide: "Message masqué.",
  restore: "Message rétabli.",
  lock: "Sujet verrouillé.",
  unlock: "Sujet déverrouillé.",
  pin: "Sujet épinglé.",
  unpin: "Sujet désépinglé.",
};

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const topic = await loadTopic(args);
  const url = new URL(args.request.url);
  const canonical = topicPath(topic.categorySlug, topic);
  const search = url.searchParams;
  // Old links keep working after a move or a title change.
  if (url.pathname !== canonical) throw redirect(`${canonical}${url.search}`, 301);
  const permalink = idParam.safeParse(search.get("message"));
  const highlight = highlightParam(search);
  if (search.has("message") && permalink.success) {
    const page = await pageOfPost(topic.id, permalink.data);
    // A search hit also names the words to highlight in that post.
    const marks = highlight.words.length
      ? `&surligner=${encodeURIComponent(highlight.words.join(" "))}&repere=${permalink.data}`
      : "";
    throw redirect(`${canonical}?page=${page}${marks}#message-${permalink.data}`);
  }
  if (search.has("nonlu") && viewer) {
    const first = await firstUnreadPostId(viewer.id, topic.id);
    if (first) throw redirect(`${canonical}?message=${first}`);
  }
  const requested = idParam.safeParse(search.get("page") ?? "1");
  const page = requested.success ? requested.data : 1;
  const moderator = isModerator(viewer);
  const pick = (key: string) => {
    const parsed = idParam.safeParse(search.get(key));
    return parsed.success ? parsed.data : null;
  };
  const quoteId = pick("citer");
  const editId = pick("modifier");
  const [posts, reader, categories] = await Promise.all([
    listPosts(viewer, topic, page, { sources: quoteId !== null || editId !== null }),
    viewer ? readerState(viewer, topic) : Promise.resolve(null),
    moderator ? listCategories(viewer) : Promise.resolve([]),
  ]);
  const readBefore = reader?.lastReadPostId ?? 0;
  const totalPages = Math.max(1, Math.ceil(posts.total / POSTS_PER_PAGE));
  if (page > totalPages) throw redirect(`${canonical}?page=${totalPages}`);
  const lastOnPage = posts.items.at(-1)?.id ?? 0;
  if (viewer && lastOnPage > readBefore) await markRead(viewer.id, topic.id, lastOnPage);

  const quoted = quoteId ? posts.items.find((p) => p.id === quoteId) : undefined;
  const quote = quoted?.body
    ? `> **${quoted.authorName}** a écrit :\n${quoted.body
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")}\n\n`
    : "";
  const edited = editId ? posts.items.find((p) => p.id === editId) : undefined;
  const historyId = pick("historique");
  cachePage(args.context, {
    tags: [
      pageTags.topic(topic.id),
      ...posts.items.flatMap((post) => (post.authorId ? [pageTags.member(post.authorId)] : [])),
    ],
  });
  return {
    topic: {
      id: topic.id,
      title: topic.title,
      locked: topic.locked,
      pinned: topic.pinned,
      categorySlug: topic.categorySlug,
      categoryTitle: topic.categoryTitle,
      path: canonical,
      // Read before the posts: a change made meanwhile is fetched again, never missed.
      lastChangeId: topic.lastChangeId,
    },
    // What the page shows of each post, no more: this data is sent a second time, as JSON.
    posts: posts.items.map(({ body: _body, authorId: _authorId, ...post }) => ({
      ...post,
      html: post.id === highlight.postId ? highlightTerms(post.html, highlight.words) : post.html,
      editable: post.mine || moderator,
    })),
    page,
    total: posts.total,
    isLastPage: page >= totalPages,
    readBefore: viewer ? readBefore : null,
    viewer: viewer ? { id: viewer.id, name: viewer.name } : null,
    moderator,
    moderationPath: moderationPathOf(canonical),
    moderationDone: moderationDone[search.get("moderation") ?? ""] ?? null,
    mayWrite: (reader?.mayWrite ?? false) && (!topic.locked || moderator),
    followLevel: reader?.followLevel ?? null,
    categories: categories.map((c) => ({ slug: c.slug, title: c.title })),
    // Per visitor: never in an anonymous page, which is kept and served to others.
    idempotencyKey: viewer ? randomId() : null,
    reply: { body: quote, replyToId: quoted ? quoted.id : null },
    editing:
      edited && (edited.mine || moderator) && !edited.deletedAt
        ? { id: edited.id, body: edited.body }
        : null,
    reporting: viewer ? pick("signaler") : null,
    history: historyId ? { id: historyId, ...(await postRevisions(viewer, historyId)) } : null,
  };
}

type ActionData = { intent: string; result?: SubmissionResult<string[]>; message?: string };

const replyWith = (data: ActionData, status = 400) => json(data, { status });

/** The members' forms of a topic; moderators' actions go to the topic's moderation route. */
export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const topic = await loadTopic(args);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const canonical = topicPath(topic.categorySlug, topic);

  // Writing needs a confirmed address; reporting, following and deleting one's own post do not.
  if (intent === "reply" || intent === "edit") requirePublisher(args);
  if (intent === "reply") {
    const submission = parseWithZod(formData, { schema: ReplyFormSchema });
    if (submission.status !== "success") return replyWith({ intent, result: submission.reply() });
    const created = await unlessRateLimited(() =>
      createPost(user, { topicId: topic.id, ...submission.value }),
    );
    if (created instanceof RateLimitedError) {
      return formRateLimited(created, submission, { extra: { intent } });
    }
    if (!created.ok) {
      invariantResponse(created.status !== 404, "Sujet introuvable.");
      const formErrors = created.formError ? [created.formError] : [];
      return replyWith({ intent, result: submission.reply({ formErrors }) }, created.status);
    }
    const page = await pageOfPost(topic.id, created.value.postId);
    return redirect(`${canonical}?page=${page}#message-${created.value.postId}`);
  }
  if (intent === "edit") {
    const submission = parseWithZod(formData, { schema: EditFormSchema });
    if (submission.status !== "success") return replyWith({ intent, result: submission.reply() });
    const edited = await editPost(user, submission.value.postId, submission.value.body);
    if (edited.ok) return redirect(edited.value.path);
    invariantResponse(edited.status !== 404, "Message introuvable.");
    const formErrors = [edited.formError ?? "Modification impossible."];
    return replyWith({ intent, result: submission.reply({ formErrors }) }, edited.status);
  }
  if (intent === "delete") {
    const parsed = DeleteFormSchema.safeParse(Object.fromEntries(formData));
    invariantResponse(parsed.success, "Message introuvable.");
    const deleted = await deletePost(user, parsed.data.postId);
    if (deleted.ok) return redirect(`${canonical}?supprime=1`);
    invariantResponse(deleted.status !== 404, "Message introuvable.");
    const message = deleted.formError ?? "Suppression impossible.";
    return replyWith({ intent, message }, deleted.status);
  }
  if (intent === "report") {
    const submission = parseWithZod(formData, { schema: ReportFormSchema });
    if (submission.status !== "success") return replyWith({ intent, result: submission.reply() });
    const reported = await unlessRateLimited(() =>
      reportPost(user, submission.value.postId, submission.value.reason),
    );
    if (reported instanceof RateLimitedError) {
      return formRateLimited(reported, submission, { extra: { intent } });
    }
    invariantResponse(reported.ok, "Message introuvable.");
    return replyWith({ intent, message: "Merci : la modération va examiner ce message." }, 200);
  }
  if (intent === "follow") {
    const parsed = FollowFormSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return replyWith({ intent, message: "Niveau de suivi inconnu." });
    await setFollowLevel(user, { topicId: topic.id }, parsed.data.level);
    return replyWith({ intent, message: "Préférence de notification enregistrée." }, 200);
  }
  return replyWith({ intent, message: "Action inconnue." });
}

export const headers = keepActionHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.topic.title ?? "Sujet"} — Forums — Territoires Internet` },
];

export default function TopicPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { topic, viewer } = data;
  const live = useLiveTopic({
    topicId: topic.id,
    viewerId: viewer?.id ?? null,
    moderator: data.moderator,
    follow: data.isLastPage,
    lastChangeId: topic.lastChangeId,
    posts: data.posts,
  });
  const [replyForm, replyFields] = useForm({
    id: `reponse-${data.idempotencyKey ?? "anonyme"}`,
    lastResult: actionData?.intent === "reply" ? actionData.result : undefined,
    defaultValue: { body: data.reply.body },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplyFormSchema }),
  });
  const resultOf = (intent: string) =>
    actionData?.intent === intent ? actionData.result : undefined;
  const separatorBefore =
    data.readBefore !== null && data.readBefore > 0
      ? live.posts.find((p) => p.id > (data.readBefore ?? 0))?.id
      : undefined;
  const notice = actionData?.message ?? data.moderationDone;

  return (
    <div className="container stack topic-page">
      <Breadcrumb
        trail={[
          { to: "/forums", label: "Forums" },
          { to: `/forums/${topic.categorySlug}`, label: topic.categoryTitle },
        ]}
        current={topic.title}
      />
      <h1>
        {topic.title} {topic.pinned ? <span className="badge">Épinglé</span> : null}{" "}
        {topic.locked ? <span className="badge">Verrouillé</span> : null}
      </h1>
      <p className="muted" aria-live="polite" data-testid="presence">
        {live.presence !== null && live.presence > 1
          ? `${live.presence} membres lisent ce sujet`
          : null}
      </p>
      {live.problem ? (
        <Notice kind="warning">
          {live.problem} Rechargez la page pour voir les derniers messages.
        </Notice>
      ) : null}
      {notice ? <Notice kind="info">{notice}</Notice> : null}

      {data.history ? <PostHistory history={data.history} path={topic.path} /> : null}

      <ol className="post-list" aria-label="Messages">
        {live.posts.map((post) => (
          <li key={post.id}>
            {post.id === separatorBefore ? (
              <p className="new-separator" id="nouveaux">
                <span>Nouveaux messages</span>
              </p>
            ) : null}
            <ForumPost
              post={post}
              topicPath={topic.path}
              viewerSignedIn={viewer !== null}
              moderator={data.moderator}
              mayWrite={data.mayWrite}
              moderationPath={data.moderationPath}
              editing={
                data.editing?.id === post.id
                  ? { body: data.editing.body, lastResult: resultOf("edit") }
                  : null
              }
              reporting={data.reporting === post.id ? { lastResult: resultOf("report") } : null}
            />
          </li>
        ))}
      </ol>
      <Pagination page={data.page} pageSize={POSTS_PER_PAGE} total={data.total} />
      <p aria-live="polite" className="typing muted" data-testid="typing">
        {live.typing ? `${live.typing} est en train d'écrire…` : null}
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
            <input type="hidden" name="idempotencyKey" value={data.idempotencyKey ?? ""} />
            {data.reply.replyToId ? (
              <input type="hidden" name="replyToId" value={data.reply.replyToId} />
            ) : null}
            <div onInput={live.signalTyping}>
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
        <TopicModeration
          topic={topic}
          categories={data.categories}
          moderationPath={data.moderationPath}
        />
      ) : null}
    </div>
  );
}
