import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

import { followLevelLabels, followLevels, type FollowLevel } from "~/utils/forum-schemas";

/** The "notifications" choice of a forum category or topic, posted with intent "follow". */
export function FollowForm({
  id,
  label,
  level,
  className = "follow-form",
  children,
}: {
  id: string;
  label: string;
  level: FollowLevel;
  className?: string;
  /** Shown under the button, such as what each level means. */
  children?: ReactNode;
}) {
  return (
    <Form method="post" className={className}>
      <input type="hidden" name="intent" value="follow" />
      <label htmlFor={id}>{label}</label>
      <select id={id} name="level" defaultValue={level}>
        {followLevels.map((choice) => (
          <option key={choice} value={choice}>
            {followLevelLabels[choice]}
          </option>
        ))}
      </select>
      <button type="submit" className="secondary">
        Enregistrer
      </button>
      {children}
    </Form>
  );
}
