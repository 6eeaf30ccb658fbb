import { formatInZone } from "~/utils/dates";

export type AttendeeRow = {
  userId: string;
  name: string;
  email: string;
  jobTitle: string;
  collectivityName: string | null;
  position: number | null;
  showPublicly: boolean;
  registeredAt: string;
};

/** The registered people of an event as its organisers see them (rank for the waitlist). */
export function AttendeeTable({
  title,
  rows,
  timeZone,
}: {
  title: string;
  rows: AttendeeRow[];
  timeZone: string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>
          {title} ({rows.length})
        </caption>
        <thead>
          <tr>
            {rows.some((r) => r.position !== null) ? <th scope="col">Rang</th> : null}
            <th scope="col">Nom</th>
            <th scope="col">Fonction et collectivité</th>
            <th scope="col">Adresse</th>
            <th scope="col">Inscription</th>
            <th scope="col">Liste publique</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6}>Personne pour l'instant.</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.userId}>
                {row.position !== null ? <td>{row.position}</td> : null}
                <td>{row.name}</td>
                <td>
                  {row.jobTitle}
                  {row.collectivityName ? ` — ${row.collectivityName}` : ""}
                </td>
                <td>{row.email}</td>
                <td>{formatInZone(row.registeredAt, timeZone)}</td>
                <td>{row.showPublicly ? "oui" : "non"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
