import { Link } from "@remix-run/react";

import { Highlighted } from "~/components/initiative-card";
import {
  countLabel,
  kindPagePath,
  searchKindLabels,
  type SearchKind,
  type SiteHit,
} from "~/utils/search-kinds";

export function SearchHit({ item }: { item: SiteHit }) {
  return (
    <li className="search-hit">
      <h3 className="search-hit__title">
        <Link to={item.url}>
          <Highlighted text={item.title} />
        </Link>
      </h3>
      {item.context ? <p className="search-hit__context muted">{item.context}</p> : null}
      {item.snippet ? (
        <p className="search-hit__snippet">
          <Highlighted text={item.snippet} />
        </p>
      ) : null}
    </li>
  );
}

/** One kind's best hits, its count, and the link to all of them on the kind's own page. */
export function SearchGroup({
  kind,
  q,
  total,
  items,
}: {
  kind: SearchKind;
  q: string;
  total: number;
  items: SiteHit[];
}) {
  const headingId = `resultats-${kind}`;
  return (
    <section className="card stack search-group" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {searchKindLabels[kind].heading}{" "}
        <span className="badge badge--count-muted">{countLabel(kind, total)}</span>
      </h2>
      {items.length > 0 ? (
        <ol className="search-hits">
          {items.map((item) => (
            <SearchHit key={`${item.type}:${item.id}`} item={item} />
          ))}
        </ol>
      ) : (
        <p className="muted">Les plus pertinents sont d'autres types : ouvrez la liste complète.</p>
      )}
      <p>
        <Link to={kindPagePath(kind, q)}>
          Voir tout ({countLabel(kind, total)})
          <span className="visually-hidden"> pour « {q} »</span>
        </Link>
      </p>
    </section>
  );
}
