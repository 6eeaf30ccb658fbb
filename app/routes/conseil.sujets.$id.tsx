import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { ErrorList } from "~/components/forms";
import { ThemeList } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import {
  getCouncilTopic,
  listCouncilTopics,
  mergeTopic,
  setTopicSelected,
} from "~/models/council-topics.server";
import { groupOfTopic } from "~/models/groups.server";
import { hasRole, requireRole } from "~/utils/auth.server";
import { councilTopicStatusLabels, MergeSchema } from "~/utils/council-schemas";
import { formatDate } from "~/utils/dates";
import { invariantResponse } from "~/utils/replies.server";
import { z } from "~/utils/validation";

const SelectSchema = z.object({ intent: z.enum(["select", "unselect"]) });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const topic = await getCouncilTopic(params.id ?? "");
  invariantResponse(topic, "Sujet introuvable.");
  const isAdmin = hasRole(context.auth.user, "admin");
  const siblings = isAdmin
    ? (await listCouncilTopics({ callId: topic.callId })).filter(
        (t) => t.id !== topic.id && t.status !== "merged",
      )
    : [];
  const keptTopic = topic.mergedIntoId ? await getCouncilTopic(topic.mergedIntoId) : null;
  const group = await groupOfTopic(topic.id);
  return {
    group,
    topic: { ...topic, createdAt: formatDate(topic.createdAt) },
    keptTopic: keptTopic ? { id: keptTopic.id, title: keptTopic.title } : null,
    siblings: siblings.map((t) => ({ id: t.id, title: t.title })),
    isAdmin,
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  const id = args.params.id ?? "";
  const formData = await args.request.formData();
  if (formData.get("intent") !== "merge") {
    const parsed = SelectSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success)
      return json({ fieldErrors: { intent: ["Action invalide."] } }, { status: 400 });
    invariantResponse(
      await setTopicSelected(id, parsed.data.intent === "select"),
      "Sujet introuvable.",
    );
    return redirect(`/conseil/sujets/${id}`);
  }
  const submission = parseWithZod(formData, { schema: MergeSchema });
  if (submission.status !== "success") {
    return json({ fieldErrors: submission.reply().error ?? {} }, { status: 400 });
  }
  const origin = new URL(args.request.url).origin;
  const merged = await mergeTopic(
    admin,
    id,
    submission.value.keptId,
    `${origin}/conseil/sujets/${submission.value.keptId}`,
  );
  if (!merged.ok) {
    invariantResponse(merged.status !== 404, "Sujet introuvable.");
    return json(
      {
        fieldErrors: {
          ...merged.fieldErrors,
          ...(merged.formError ? { keptId: [merged.formError] } : {}),
        },
      },
      { status: merged.status },
    );
  }
  return redirect(`/conseil/sujets/${id}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.topic.title} — Conseil des partenaires` : "Sujet introuvable" },
];

export default function CouncilTopicPage() {
  const { topic, keptTopic, siblings, isAdmin, group } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = (data?.fieldErrors ?? {}) as Record<string, string[] | null | undefined>;
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/conseil", label: "Conseil des partenaires" }]} current="Sujet" />
      <h1>{topic.title}</h1>
      <p className="muted">
        Proposé par {topic.organisationName} le {topic.createdAt} — appel {topic.year} —{" "}
        {councilTopicStatusLabels[topic.status]}
      </p>
      {keptTopic ? (
        <Notice kind="info">
          Ce sujet a été fusionné avec{" "}
          <Link to={`/conseil/sujets/${keptTopic.id}`}>{keptTopic.title}</Link>.
        </Notice>
      ) : null}
      <ThemeList themes={topic.themes} />
      <section aria-labelledby="pourquoi">
        <h2 id="pourquoi">Pourquoi ce sujet</h2>
        <p>{topic.why}</p>
      </section>
      <section aria-labelledby="attendu">
        <h2 id="attendu">Résultat attendu</h2>
        <p>{topic.expectedOutcome}</p>
      </section>
      {topic.discussionPath ? (
        <p>
          <Link to={topic.discussionPath}>Discuter de ce sujet dans les forums</Link>
        </p>
      ) : null}
      {group ? (
        <p>
          Groupe de travail : <Link to={`/conseil/groupes/${group.id}`}>{group.title}</Link>
        </p>
      ) : isAdmin && topic.status === "selected" ? (
        <p>
          <Link to={`/conseil/groupes?sujet=${topic.id}#ouvrir`}>
            Ouvrir un groupe de travail sur ce sujet
          </Link>
        </p>
      ) : null}
      {isAdmin && topic.status !== "merged" ? (
        <section className="card stack" aria-labelledby="administrer">
          <h2 id="administrer">Administration</h2>
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value={topic.status === "selected" ? "unselect" : "select"}
              className="button--secondary"
            >
              {topic.status === "selected" ? "Ne plus retenir ce sujet" : "Retenir ce sujet"}
            </button>
          </Form>
          {siblings.length > 0 ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="merge" />
              <div className="field">
                <label htmlFor="keptId">Fusionner ce doublon avec le sujet</label>
                <select
                  id="keptId"
                  name="keptId"
                  aria-invalid={errors.keptId ? true : undefined}
                  aria-describedby={errors.keptId ? "keptId-error" : undefined}
                >
                  <option value="">Choisissez…</option>
                  {siblings.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
                <ErrorList id="keptId-error" errors={errors.keptId} />
              </div>
              <div>
                <button type="submit">Fusionner</button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
