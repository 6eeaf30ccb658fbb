import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { EventCard } from "~/components/event-card";
import { FilterSelect } from "~/components/forms";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { listAreas } from "~/models/collectivities.server";
import { placesLeft } from "~/models/event-places.server";
import { listEvents, searchEvents, type EventFilters } from "~/models/events.server";
import { hasRole } from "~/utils/auth.server";
import { formatMonth, monthBounds, monthKey, PARIS } from "~/utils/dates";
import { formatLabels } from "~/utils/event-schemas";
import { cachePage, pageTags, secondsUntil } from "~/utils/page-cache.server";
import { invariantResponse } from "~/utils/replies.server";
import { themes, themeSlugs } from "~/utils/themes";
import { departmentCodeSchema, optionalEmpty, regionCodeSchema, z } from "~/utils/validation";

const themeOptions = themes.map((t) => ({ value: t.slug, label: t.label }));
const formatOptions = Object.entries(formatLabels).map(([value, label]) => ({ value, label }));

const ListQuerySchema = z.object({
  q: optionalEmpty(z.string().trim().max(100, "La recherche est trop longue.")),
  theme: optionalEmpty(z.enum(themeSlugs, { error: "Thème inconnu." })),
  region: optionalEmpty(regionCodeSchema),
  departement: optionalEmpty(departmentCodeSchema),
  format: optionalEmpty(
    z.enum(["presentiel", "en-ligne", "hybride"], { error: "Format inconnu." }),
  ),
  mois: optionalEmpty(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Mois invalide (AAAA-MM).")),
  periode: z.enum(["a-venir", "passes"]).catch("a-venir"),
  vue: z.enum(["liste", "mois"]).catch("liste"),
  page: z.coerce.number().int().min(1).max(1_000).catch(1),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = ListQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  invariantResponse(
    parsed.success,
    `Filtre invalide : ${parsed.error?.issues.map((issue) => issue.message).join(" ")}`,
    400,
  );
  const query = parsed.data;
  const month = query.vue === "mois" ? (query.mois ?? monthKey(new Date())) : query.mois;
  const filters: EventFilters = {
    theme: query.theme,
    region: query.region,
    department: query.departement?.toUpperCase(),
    format: query.format,
    page: query.page,
    pageSize: query.vue === "mois" ? 500 : 20,
    period: month ? "all" : query.periode === "passes" ? "past" : "upcoming",
  };
  if (month) Object.assign(filters, monthBounds(month));
  const user = context.auth.user;
  let degraded = false;
  if (query.q) {
    const found = await searchEvents(query.q);
    degraded = found.degraded;
    filters.ids = found.ids;
  }
  // The hits are read again in PostgreSQL, through the same access rule as every events page.
  const [results, areas] = await Promise.all([listEvents(filters, user), listAreas()]);
  // What Meilisearch found changes after the writes' commits, when the indexer catches up: a
  // search is never kept, the lists read from PostgreSQL alone are.
  if (!query.q) {
    cachePage(context, {
      tags: [pageTags.events, ...results.items.map((event) => pageTags.event(event.id))],
      // "This month" moves on at the end of the month.
      maxAgeSeconds: secondsUntil([
        results.changesAt,
        query.vue === "mois" && !query.mois && month ? monthBounds(month).to : null,
      ]),
    });
  }
  return {
    query: { ...query, mois: month },
    degraded,
    items: results.items.map((event) => ({ ...event, placesLeft: placesLeft(event) })),
    total: results.total,
    page: results.page,
    pageSize: results.pageSize,
    areas,
    canCreate: hasRole(user, "organiser"),
    signedIn: Boolean(user),
  };
}

export const meta: MetaFunction = () => [
  { title: "Événements — Territoires Internet" },
  {
    name: "description",
    content: "Assises territoriales, ateliers et webinaires des collectivités du réseau.",
  },
];

function shiftMonth(key: string, delta: number) {
  const [y, m] = key.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

export default function EventsPage() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { query } = data;
  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const search = next.toString();
    return search ? `?${search}` : "/evenements";
  };
  const calendarParams = new URLSearchParams();
  if (query.region) calendarParams.set("region", query.region);
  if (query.departement) calendarParams.set("departement", query.departement);
  if (query.theme) calendarParams.set("theme", query.theme);
  const feed = `/evenements/calendrier.ics${calendarParams.size > 0 ? `?${calendarParams.toString()}` : ""}`;
  const heading =
    query.vue === "mois" && query.mois
      ? `Événements de ${formatMonth(query.mois)}`
      : query.periode === "passes"
        ? "Événements passés"
        : "Événements à venir";
  return (
    <div className="container stack">
      <div className="actions page-head">
        <h1>Événements</h1>
        <div className="actions">
          <Link to="/evenements/series">Cycles (assises territoriales)</Link>
          {data.signedIn ? <Link to="/evenements/mes-evenements">Mes événements</Link> : null}
          {data.canCreate ? (
            <Link className="button" to="/evenements/nouveau">
              Créer un événement
            </Link>
          ) : null}
        </div>
      </div>
      <p>
        Étapes des assises territoriales, ateliers et webinaires organisés par les collectivités du
        réseau. Abonnez votre agenda au <a href={feed}>calendrier des événements (iCal)</a>
        {calendarParams.size > 0 ? " correspondant à ces filtres" : ""}.
      </p>
      <Form method="get" className="card filters" role="search" aria-label="Filtrer les événements">
        <div className="field">
          <label htmlFor="q">Rechercher</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} />
        </div>
        <FilterSelect
          name="theme"
          label="Thème"
          empty="Tous les thèmes"
          options={themeOptions}
          value={query.theme}
        />
        <FilterSelect
          name="region"
          label="Région"
          empty="Toutes les régions"
          options={data.areas.regions.map((r) => ({ value: r.code, label: r.name }))}
          value={query.region}
        />
        <FilterSelect
          name="departement"
          label="Département"
          empty="Tous les départements"
          options={data.areas.departments.map((d) => ({
            value: d.code,
            label: `${d.code} — ${d.name}`,
          }))}
          value={query.departement}
        />
        <FilterSelect
          name="format"
          label="Format"
          empty="Tous les formats"
          options={formatOptions}
          value={query.format}
        />
        <div className="field">
          <label htmlFor="mois">Mois</label>
          <input id="mois" name="mois" type="month" defaultValue={query.mois ?? ""} />
        </div>
        {query.vue === "mois" ? <input type="hidden" name="vue" value="mois" /> : null}
        {query.periode === "passes" ? <input type="hidden" name="periode" value="passes" /> : null}
        <button type="submit">Filtrer</button>
      </Form>

      <nav aria-label="Affichage des événements" className="tabs-nav">
        <Link
          to={hrefWith({ periode: null, vue: null, mois: null })}
          aria-current={
            query.vue === "liste" && query.periode === "a-venir" && !query.mois ? "page" : undefined
          }
        >
          À venir
        </Link>
        <Link
          to={hrefWith({ periode: "passes", vue: null, mois: null })}
          aria-current={query.vue === "liste" && query.periode === "passes" ? "page" : undefined}
        >
          Archives
        </Link>
        <Link
          to={hrefWith({ vue: "mois", periode: null })}
          aria-current={query.vue === "mois" ? "page" : undefined}
        >
          Vue par mois
        </Link>
      </nav>

      {data.degraded ? (
        <Notice kind="warning">
          La recherche avancée est momentanément indisponible : seuls les titres sont cherchés.
        </Notice>
      ) : null}

      <h2>
        {heading}{" "}
        <span className="muted">
          ({data.total} résultat{data.total > 1 ? "s" : ""})
        </span>
      </h2>

      {query.vue === "mois" && query.mois ? (
        <MonthView month={query.mois} items={data.items} hrefWith={hrefWith} />
      ) : data.items.length === 0 ? (
        <div className="card">
          <p>Aucun événement ne correspond à ces critères.</p>
          <p>
            Élargissez les filtres, consultez les{" "}
            <Link to="?periode=passes">événements passés</Link>
            {data.canCreate ? (
              <>
                {" "}
                ou <Link to="/evenements/nouveau">organisez le vôtre</Link>
              </>
            ) : null}
            .
          </p>
        </div>
      ) : (
        <ul className="list-plain">
          {data.items.map((event) => (
            <li key={event.id}>
              <EventCard event={event} />
            </li>
          ))}
        </ul>
      )}
      {query.vue !== "mois" ? (
        <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
      ) : null}
    </div>
  );
}

type MonthItem = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

/** A month as a table (one row per week), each day listing its events; readable without CSS. */
function MonthView({
  month,
  items,
  hrefWith,
}: {
  month: string;
  items: MonthItem[];
  hrefWith: (changes: Record<string, string | null>) => string;
}) {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const offset = (first.getUTCDay() + 6) % 7; // Monday first
  const cells: Array<number | null> = [
    ...Array.from({ length: offset }, () => null),
    ...Array.from({ length: daysInMonth }, (_, i) => i + 1),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const byDay = new Map<number, MonthItem[]>();
  const dayOf = new Intl.DateTimeFormat("sv-SE", { timeZone: PARIS });
  for (const event of items) {
    // Every day an event covers (in Paris), so a multi-day event shows on each of its days.
    const startKey = dayOf.format(new Date(event.startsAt));
    const endKey = dayOf.format(new Date(new Date(event.endsAt).getTime() - 1));
    for (let day = 1; day <= daysInMonth; day += 1) {
      const key = `${month}-${String(day).padStart(2, "0")}`;
      if (key >= startKey && key <= endKey) byDay.set(day, [...(byDay.get(day) ?? []), event]);
    }
  }
  const weekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
  return (
    <div className="stack">
      <nav aria-label="Changer de mois" className="actions">
        <Link to={hrefWith({ vue: "mois", mois: shiftMonth(month, -1) })}>
          ← {formatMonth(shiftMonth(month, -1))}
        </Link>
        <Link to={hrefWith({ vue: "mois", mois: shiftMonth(month, 1) })}>
          {formatMonth(shiftMonth(month, 1))} →
        </Link>
      </nav>
      <div className="table-wrap">
        <table className="month-grid">
          <caption className="visually-hidden">
            Événements de {formatMonth(month)}, semaine par semaine
          </caption>
          <thead>
            <tr>
              {weekdays.map((day) => (
                <th key={day} scope="col">
                  <abbr title={day}>{day.slice(0, 3)}.</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, index) => (
              <tr key={index}>
                {week.map((day, column) => (
                  <td key={column} className={day === null ? "is-other-month" : undefined}>
                    {day !== null ? (
                      <>
                        <span>{day}</span>
                        {byDay.get(day)?.length ? (
                          <ul>
                            {byDay.get(day)!.map((event) => (
                              <li key={event.id}>
                                <Link to={`/evenements/${event.slug}`}>
                                  {event.status === "cancelled" ? "Annulé : " : ""}
                                  {event.title}
                                </Link>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
