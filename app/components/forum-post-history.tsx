import { formatDateTime } from "~/utils/dates";

import { Notice } from "./notice";

/** The previous versions of an edited post, newest first (`?historique=<id>`). */
export function PostHistory({
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
    return <Notice kind="warning">Historique indisponible pour ce message.</Notice>;
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
