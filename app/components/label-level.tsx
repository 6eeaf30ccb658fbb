import { levelSpoken, mentionLabel } from "~/utils/label";

/** The "@" level badge: as many "@" as the level, and its value said in words. */
export function LevelBadge({
  level,
  size = "normal",
}: {
  level: number;
  size?: "normal" | "large";
}) {
  return (
    <span className={`level-badge level-badge--${size}`} role="img" aria-label={levelSpoken(level)}>
      <span aria-hidden="true">
        {"@".repeat(level)}
        <span className="level-badge__off">{"@".repeat(Math.max(0, 5 - level))}</span>
      </span>
    </span>
  );
}

export function MentionList({ mentions }: { mentions: string[] }) {
  if (mentions.length === 0) return null;
  return (
    <ul className="mention-list">
      {mentions.map((slug) => (
        <li key={slug} className="mention">
          {mentionLabel(slug)}
        </li>
      ))}
    </ul>
  );
}
