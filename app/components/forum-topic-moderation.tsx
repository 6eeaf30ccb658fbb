import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useFetcher } from "@remix-run/react";

import { ErrorList } from "~/components/forms";
import { MoveTopicSchema } from "~/utils/forum-schemas";

/**
 * The moderators' panel of a topic: lock, pin and move, sent to the topic's moderation route. The
 * move form goes through a fetcher so that its error shows under the list, with JavaScript.
 */
export function TopicModeration({
  topic,
  categories,
  moderationPath,
}: {
  topic: { locked: boolean; pinned: boolean; categorySlug: string };
  categories: Array<{ slug: string; title: string }>;
  moderationPath: string;
}) {
  const move = useFetcher<{ result?: SubmissionResult<string[]> }>();
  const [form, fields] = useForm({
    id: "deplacer-sujet",
    lastResult: move.data?.result,
    defaultValue: { category: topic.categorySlug },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MoveTopicSchema }),
  });
  const categoryProps = getSelectProps(fields.category);
  const flagActions = [
    topic.locked ? ["unlock", "Déverrouiller"] : ["lock", "Verrouiller"],
    topic.pinned ? ["unpin", "Désépingler"] : ["pin", "Épingler"],
  ];
  return (
    <section className="card stack" aria-labelledby="moderation-titre">
      <h2 id="moderation-titre">Modération du sujet</h2>
      <div className="actions">
        {flagActions.map(([intent, label]) => (
          <Form key={intent} method="post" action={moderationPath}>
            <input type="hidden" name="intent" value={intent} />
            <button type="submit" className="secondary">
              {label}
            </button>
          </Form>
        ))}
      </div>
      <move.Form
        method="post"
        action={moderationPath}
        className="follow-form"
        {...getFormProps(form)}
        noValidate
      >
        <input type="hidden" name="intent" value="move" />
        <label htmlFor={fields.category.id}>Déplacer vers</label>
        <select {...categoryProps} key={categoryProps.key}>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.title}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          Déplacer
        </button>
        <ErrorList id={fields.category.errorId} errors={fields.category.errors} />
      </move.Form>
    </section>
  );
}
