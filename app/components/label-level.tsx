import { Link } from "@remix-run/react";

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

/** A collectivity's label history, newest first, for its page. */
export function LabelHistory({
  code,
  history,
}: {
  code: string;
  history: Array<{ year: number; level: number; mentions: string[] }>;
}) {
  return (
    <section className="card stack" aria-labelledby="label">
      <h2 id="label">Label Territoires, Villes et Villages Internet</h2>
      {history.length === 0 ? (
        <p>
          Pas encore de label publié. <Link to="/label">Découvrir le label</Link>
        </p>
      ) : (
        <>
          <ul className="list-plain">
            {history.map((h) => (
              <li key={h.year} className="actions">
                <Link to={`/label/${h.year}`}>Label {h.year}</Link> <LevelBadge level={h.level} />
                <MentionList mentions={h.mentions} />
              </li>
            ))}
          </ul>
          <p>
            <Link to={`/label/verifier/${code}`}>Vérifier le label et télécharger le panneau</Link>
          </p>
        </>
      )}
    </section>
  );
}
