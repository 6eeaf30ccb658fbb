import { Link } from "@remix-run/react";

import { statusLabels } from "~/utils/initiatives";
import { themeLabel, themes } from "~/utils/themes";

// The search engine wraps matches in the control characters STX and ETX (see search/initiatives).
// eslint-disable-next-line no-control-regex
const HIGHLIGHT = /\u0002([^\u0003]*)\u0003/g;

/** Text from the search engine with its matches marked up as <mark>, never as raw HTML. */
export function Highlighted({ text }: { text: string }) {
  const parts: Array<string | { mark: string }> = [];
  let last = 0;
  for (const match of text.matchAll(HIGHLIGHT)) {
    parts.push(text.slice(last, match.index));
    parts.push({ mark: match[1] ?? "" });
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) => (typeof part === "string" ? part : <mark key={i}>{part.mark}</mark>))}
    </>
  );
}

/** A theme as a chip: its own colour, and always its name (never colour alone). */
export function ThemeChip({ slug }: { slug: string }) {
  const index = Math.max(
    0,
    themes.findIndex((t) => t.slug === slug),
  );
  return <span className={`theme-chip theme-chip--${index % 12}`}>{themeLabel(slug)}</span>;
}

/** The themes of an initiative as a list of chips. */
export function ThemeList({ themes }: { themes: string[] }) {
  return (
    <ul className="theme-list" aria-label="Thèmes">
      {themes.map((slug) => (
        <li key={slug}>
          <ThemeChip slug={slug} />
        </li>
      ))}
    </ul>
  );
}

export type CardData = {
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  status?: string;
  year?: number | null;
  collectivity: { code: string; name: string };
  adoptions?: number;
  highlight?: { title: string; snippet: string };
};

/** An initiative as the models list it, with its collectivity's code and name flattened. */
type InitiativeRow = Omit<CardData, "year" | "collectivity"> & {
  startYear: number | null;
  collectivityCode: string;
  collectivityName: string;
};

export function toCardData(row: InitiativeRow): CardData {
  return {
    ...row,
    year: row.startYear,
    collectivity: { code: row.collectivityCode, name: row.collectivityName },
  };
}

/** Initiatives as a grid of cards (a collectivity's own, related ones). */
export function InitiativeCardGrid({
  initiatives,
}: {
  initiatives: Array<InitiativeRow & { id: string }>;
}) {
  return (
    <ul className="grid list-plain">
      {initiatives.map((initiative) => (
        <li key={initiative.id}>
          <InitiativeCard initiative={toCardData(initiative)} />
        </li>
      ))}
    </ul>
  );
}

export function InitiativeCard({
  initiative,
  headingLevel = 3,
}: {
  initiative: CardData;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="card initiative-card">
      <Heading className="initiative-card__title">
        <Link to={`/initiatives/${initiative.slug}`}>
          <Highlighted text={initiative.highlight?.title ?? initiative.title} />
        </Link>
        {initiative.status && initiative.status !== "published" ? (
          <>
            {" "}
            <span className="badge badge--pending">
              {statusLabels[initiative.status as keyof typeof statusLabels]}
            </span>
          </>
        ) : null}
      </Heading>
      <p className="initiative-card__meta">
        <Link to={`/collectivites/${initiative.collectivity.code}`}>
          {initiative.collectivity.name}
        </Link>
        {initiative.year ? ` · depuis ${initiative.year}` : null}
        {initiative.adoptions
          ? ` · reprise par ${initiative.adoptions} collectivité${initiative.adoptions > 1 ? "s" : ""}`
          : null}
      </p>
      <p className="initiative-card__summary">
        <Highlighted text={initiative.highlight?.snippet ?? initiative.summary} />
      </p>
      <ThemeList themes={initiative.themes} />
    </article>
  );
}

/** Initiatives named by title, each with its collectivity, as a plain list of links. */
export function InitiativeLinks({
  initiatives,
}: {
  initiatives: Array<{ id: string; slug: string; title: string; collectivityName: string }>;
}) {
  return (
    <ul>
      {initiatives.map((i) => (
        <li key={i.id}>
          <Link to={`/initiatives/${i.slug}`}>{i.title}</Link> ({i.collectivityName})
        </li>
      ))}
    </ul>
  );
}
