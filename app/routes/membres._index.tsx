import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { FilterSelect } from "~/components/forms";
import { ThemeChip } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { listAreas } from "~/models/collectivities.server";
import { searchMembers } from "~/models/member-directory.server";
import { getUser } from "~/utils/auth.server";
import { MemberDirectoryQuerySchema } from "~/utils/member-schemas";
import { themeLabel, themes } from "~/utils/themes";
import { profileKindLabels } from "~/utils/validation";

const PAGE_SIZE = 20;

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const parsed = MemberDirectoryQuerySchema.safeParse(
    Object.fromEntries(new URL(args.request.url).searchParams),
  );
  // A hand-edited URL with a bad filter lists everyone, with a notice, rather than an error.
  const query = parsed.success ? parsed.data : { page: 1 };
  const [results, areas] = await Promise.all([
    searchMembers({ ...query, pageSize: PAGE_SIZE }, viewer),
    listAreas(),
  ]);
  return { query, results, invalid: !parsed.success, signedIn: viewer !== null, areas };
}

export const meta: MetaFunction = () => [{ title: "Membres du réseau — Territoires Internet" }];

export default function MembersPage() {
  const { query, results, invalid, signedIn, areas } = useLoaderData<typeof loader>();
  const departmentName = new Map(areas.departments.map((d) => [d.code, d.name]));
  const count = (facet: Record<string, number> | undefined, value: string) => facet?.[value];
  return (
    <div className="container stack">
      <h1>Membres du réseau</h1>
      <p className="muted">
        Élus, agents et partenaires des collectivités du réseau : qui a fait quoi, et qui contacter
        pour s'en inspirer.{" "}
        {signedIn
          ? "Vous voyez les profils ouverts aux membres et ceux ouverts à tous."
          : "Sans compte, seuls les profils ouverts à tous apparaissent : connectez-vous pour voir les autres."}
      </p>
      {invalid ? (
        <Notice kind="warning">
          Un filtre de l'adresse n'était pas valide : tous les membres sont listés.
        </Notice>
      ) : null}
      <Form method="get" role="search" aria-label="Rechercher un membre" className="card stack">
        <div className="field">
          <label htmlFor="membres-q">Nom, fonction, collectivité ou thème</label>
          <input
            id="membres-q"
            name="q"
            type="search"
            defaultValue={query.q ?? ""}
            maxLength={200}
          />
        </div>
        <div className="filters">
          <FilterSelect
            name="theme"
            label="Peut aider sur"
            empty="Tous les thèmes"
            value={query.theme}
            options={themes.map((theme) => ({
              value: theme.slug,
              label: theme.label,
              count: count(results.facets.themes, theme.slug),
            }))}
          />
          <FilterSelect
            name="department"
            label="Département"
            empty="Tous les départements"
            value={query.department}
            options={Object.entries(results.facets.departmentCode ?? {}).map(([code, total]) => ({
              value: code,
              label: `${departmentName.get(code) ?? code} (${code})`,
              count: total,
            }))}
          />
          <FilterSelect
            name="profileKind"
            label="Profil"
            empty="Tous les profils"
            value={query.profileKind}
            options={Object.entries(profileKindLabels).map(([value, label]) => ({
              value,
              label,
              count: count(results.facets.profileKind, value),
            }))}
          />
        </div>
        <button type="submit">Rechercher</button>
      </Form>
      {results.degraded ? (
        <Notice kind="warning">
          La recherche est momentanément limitée : seuls les noms sont comparés, sans filtre.
        </Notice>
      ) : null}
      <h2 aria-live="polite">
        {results.total === 0
          ? "Aucun membre ne correspond"
          : `${results.total.toLocaleString("fr-FR")} membre${results.total > 1 ? "s" : ""}`}
      </h2>
      {results.items.length === 0 ? (
        <p className="card">
          Essayez un autre mot ou retirez un filtre. Les membres choisissent de montrer leur profil
          : vous trouverez aussi des contacts sur les fiches des{" "}
          <Link to="/initiatives">initiatives</Link>.
        </p>
      ) : (
        <ul className="member-grid">
          {results.items.map((member) => (
            <li key={member.id} className="card stack">
              <h3>
                <Link to={`/membres/${member.id}`}>{member.name}</Link>
              </h3>
              <p className="muted">
                {member.jobTitle || profileKindLabels[member.profileKind]}
                {member.collectivity ? ` — ${member.collectivity.name}` : ""}
              </p>
              {member.expertise.length > 0 ? (
                <ul className="theme-list" aria-label={`Thèmes de ${member.name}`}>
                  {member.expertise.map((slug) => (
                    <li key={slug} title={themeLabel(slug)}>
                      <ThemeChip slug={slug} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={query.page} pageSize={PAGE_SIZE} total={results.total} />
    </div>
  );
}
