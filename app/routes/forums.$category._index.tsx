import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { FollowForm } from "~/components/follow-form";
import { Pagination } from "~/components/pagination";
import { getCategoryFollowLevel, setFollowLevel } from "~/models/forum-reading.server";
import { canWrite, getCategory, listTopics, topicPath } from "~/models/forums.server";
import { getUser, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { FollowFormSchema, TOPICS_PER_PAGE, TopicsQuerySchema } from "~/utils/forum-schemas";
import { cachePage, pageTags } from "~/utils/page-cache.server";
import { invariantResponse } from "~/utils/replies.server";
import { formatNumber } from "~/utils/text";

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const category = await getCategory(viewer, args.params.category ?? "");
  invariantResponse(category, "Catégorie introuvable.");
  const parsed = TopicsQuerySchema.safeParse(
    Object.fromEntries(new URL(args.request.url).searchParams),
  );
  const page = parsed.success ? parsed.data.page : 1;
  const [topics, mayWrite, followLevel] = await Promise.all([
    listTopics(viewer, category.id, page),
    canWrite(viewer),
    viewer ? getCategoryFollowLevel(viewer.id, category.id) : Promise.resolve(null),
  ]);
  cachePage(args.context, {
    tags: [
      pageTags.category(category.id),
      ...topics.items.flatMap((t) => (t.authorId ? [pageTags.member(t.authorId)] : [])),
    ],
  });
  return {
    category,
    page,
    total: topics.total,
    topics: topics.items.map((t) => ({ ...t, path: topicPath(category.slug, t) })),
    signedIn: viewer !== null,
    mayWrite,
    followLevel,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const category = await getCategory(user, args.params.category ?? "");
  invariantResponse(category, "Catégorie introuvable.");
  const parsed = FollowFormSchema.safeParse(Object.fromEntries(await args.request.formData()));
  invariantResponse(parsed.success, "Niveau de suivi inconnu.", 400);
  await setFollowLevel(user, { categoryId: category.id }, parsed.data.level);
  return redirect(`/forums/${category.slug}?suivi=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.category.title ?? "Catégorie"} — Forums — Territoires Internet` },
];

export default function CategoryPage() {
  const { category, topics, page, total, signedIn, mayWrite, followLevel } =
    useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/forums", label: "Forums" }]} current={category.title} />
      <h1>{category.title}</h1>
      <p className="muted">{category.description}</p>
      <div className="actions">
        {category.locked ? (
          <p className="muted">Cette catégorie est en lecture seule.</p>
        ) : mayWrite ? (
          <Link to={`/forums/${category.slug}/nouveau`} className="button">
            Ouvrir un sujet
          </Link>
        ) : signedIn ? (
          <p className="muted">Vous pourrez ouvrir un sujet une fois votre adhésion validée.</p>
        ) : (
          <Link to={`/connexion?redirectTo=/forums/${category.slug}`}>
            Connectez-vous pour participer
          </Link>
        )}
        {followLevel ? (
          <FollowForm
            id="category-follow"
            label="Notifications de la catégorie"
            level={followLevel}
          />
        ) : null}
      </div>
      {topics.length === 0 ? (
        <p className="card">
          Aucun sujet pour l'instant.{" "}
          {mayWrite ? "Ouvrez le premier pour lancer la discussion !" : null}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="topic-table">
            <caption className="visually-hidden">
              Sujets de la catégorie {category.title}, page {page}
            </caption>
            <thead>
              <tr>
                <th scope="col">Sujet</th>
                <th scope="col">Messages</th>
                <th scope="col">Dernière activité</th>
              </tr>
            </thead>
            <tbody>
              {topics.map((topic) => (
                <tr key={topic.id} className={topic.unread > 0 ? "topic--unread" : undefined}>
                  <td>
                    {topic.pinned ? <span className="badge">Épinglé</span> : null}{" "}
                    {topic.locked ? <span className="badge">Verrouillé</span> : null}{" "}
                    <Link to={topic.path}>{topic.title}</Link>
                    <br />
                    <small className="muted">par {topic.authorName}</small>
                    {signedIn && topic.unread > 0 ? (
                      <>
                        {" "}
                        <Link to={`${topic.path}?nonlu=1`} className="badge badge--unread">
                          {formatNumber(topic.unread)} non lu{topic.unread > 1 ? "s" : ""}
                          <span className="visually-hidden"> : aller au premier non lu</span>
                        </Link>
                      </>
                    ) : null}
                  </td>
                  <td>{formatNumber(topic.postCount)}</td>
                  <td>{formatDateTime(topic.lastActivityAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={TOPICS_PER_PAGE} total={total} />
    </div>
  );
}
