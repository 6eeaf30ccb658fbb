import { Form, useLocation } from "@remix-run/react";

/**
 * "M'alerter": follows (or stops following) a theme, a département, a collectivity or a search.
 * A plain form to /compte/alertes, which comes back here afterwards.
 */
export function AlertButton({
  kind,
  value,
  following,
  label,
}: {
  kind: "theme" | "department" | "collectivity" | "search";
  value: string;
  following: boolean;
  /** What is followed, as ending a sentence: "les nouveautés pour « wifi »". */
  label: string;
}) {
  const location = useLocation();
  return (
    <Form method="post" action="/compte/alertes" className="inline-form alert-button">
      <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="value" value={value} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className={following ? "secondary" : undefined}>
        {following ? "Ne plus m'alerter" : "M'alerter"}
        <span className="visually-hidden"> sur {label}</span>
      </button>
    </Form>
  );
}
