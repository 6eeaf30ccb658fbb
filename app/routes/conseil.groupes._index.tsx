import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import { findUserIdByEmail } from "~/models/accounts.server";
import { listCouncilTopics } from "~/models/council-topics.server";
import { createWorkingGroup, listWorkingGroups } from "~/models/groups.server";
import { failure } from "~/models/result.server";
import { hasRole, requireRole } from "~/utils/auth.server";
import { CreateGroupSchema, groupStatusLabels } from "~/utils/groups-schemas";
import { submitForm } from "~/utils/replies.server";
import type { z } from "~/utils/validation";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const isAdmin = hasRole(context.auth.user, "admin");
  const groups = await listWorkingGroups();
  const taken = new Set(groups.map((g) => g.topicId));
  const topics = isAdmin
    ? (await listCouncilTopics({ status: "selected" })).filter((t) => !taken.has(t.id))
    : [];
  return {
    groups: groups.map((g) => ({
      id: g.id,
      title: g.title,
      status: g.status,
      topicTitle: g.topicTitle,
      coordinatorName: g.coordinatorName,
      members: g.members,
    })),
    isAdmin,
    topics: topics.map((t) => ({ id: t.id, title: t.title })),
    chosenTopic: new URL(request.url).searchParams.get("sujet") ?? "",
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, "admin");
  return submitForm(
    await args.request.formData(),
    CreateGroupSchema,
    async ({ coordinatorEmail, ...input }) => {
      const coordinatorId = coordinatorEmail ? await findUserIdByEmail(coordinatorEmail) : null;
      if (coordinatorEmail && !coordinatorId) {
        return failure(400, { coordinatorEmail: ["Aucun compte ne correspond à cette adresse."] });
      }
      const created = await createWorkingGroup(admin, {
        ...input,
        topicId: input.topicId ?? null,
        coordinatorId,
      });
      if (created.ok) return created;
      // The model names the coordinator by id, the form by address.
      const { coordinatorId: coordinatorErrors, ...fieldErrors } = created.fieldErrors;
      return {
        ...created,
        fieldErrors: { ...fieldErrors, coordinatorEmail: coordinatorErrors ?? [] },
      };
    },
    { done: (created) => `/conseil/groupes/${created.id}` },
  );
}

export const meta: MetaFunction = () => [
  { title: "Groupes de travail — Conseil des partenaires — Territoires Internet" },
];

export default function WorkingGroupsPage() {
  const { groups, isAdmin, topics, chosenTopic } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  // Optional fields are plain text in the form; the schema reads "" as absent.
  const [form, fields] = useForm<
    Record<keyof z.input<typeof CreateGroupSchema>, string>,
    z.output<typeof CreateGroupSchema>
  >({
    id: "nouveau-groupe",
    lastResult: data?.result,
    defaultValue: { topicId: chosenTopic },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateGroupSchema }),
  });
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[{ to: "/conseil", label: "Conseil des partenaires" }]}
        current="Groupes de travail"
      />
      <h1>Groupes de travail</h1>
      <p>
        Chaque sujet retenu par le vote du conseil peut donner un groupe de travail. Les membres des
        organisations du réseau le rejoignent, se réunissent, rédigent ensemble et publient leurs
        productions dans la base des initiatives.
      </p>
      {groups.length === 0 ? (
        <p>Aucun groupe de travail pour l'instant.</p>
      ) : (
        <ul className="list-plain stack">
          {groups.map((g) => (
            <li key={g.id} className="card stack">
              <h2>
                <Link to={`/conseil/groupes/${g.id}`}>{g.title}</Link>
              </h2>
              <p className="muted">
                Groupe {groupStatusLabels[g.status]} — {g.members} membre{g.members > 1 ? "s" : ""}
                {g.coordinatorName ? ` — coordination : ${g.coordinatorName}` : null}
                {g.topicTitle ? ` — sujet : ${g.topicTitle}` : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {isAdmin ? (
        <section className="card stack" aria-labelledby="ouvrir">
          <h2 id="ouvrir">Ouvrir un groupe de travail</h2>
          <Form method="post" className="stack" {...getFormProps(form)} noValidate>
            <FormErrors errors={form.errors} id={form.errorId} />
            <SelectField label="Sujet retenu (facultatif)" meta={fields.topicId}>
              <option value="">Aucun : groupe ouvert directement</option>
              {topics.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </SelectField>
            <Field label="Titre du groupe" meta={fields.title} />
            <TextareaField
              label="Mandat"
              meta={fields.mandate}
              hint="Ce que le groupe doit produire, et pour quand."
            />
            <Field
              label="Adresse électronique de la personne qui coordonne (facultatif)"
              meta={fields.coordinatorEmail}
              type="email"
            />
            <div>
              <button type="submit">Ouvrir le groupe</button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
