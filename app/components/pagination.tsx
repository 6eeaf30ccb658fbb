import { Link, useSearchParams } from "@remix-run/react";

/** Previous / next links that keep the other query parameters. */
export function Pagination({
  page,
  pageSize,
  total,
}: {
  page: number;
  pageSize: number;
  total: number;
}) {
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next.toString()}`;
  };
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Page précédente</Link> : <span />}
      <span>
        Page {page} sur {pages}
      </span>
      {page < pages ? <Link to={hrefFor(page + 1)}>Page suivante →</Link> : <span />}
    </nav>
  );
}
