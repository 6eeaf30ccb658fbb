import { collegeLabels, type CouncilCollege } from "~/utils/council-schemas";
import { formatNumber } from "~/utils/text";

type Results = {
  ballots: number;
  electorate: number;
  colleges: Array<{ college: CouncilCollege; electors: number; ballots: number }>;
  topics: Array<{
    id: string;
    title: string;
    approvals: number;
    byCollege: Record<CouncilCollege, number>;
    score: number;
  }>;
};

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** The published count of a closed vote: per topic, per college, and the participation. */
export function CouncilResults({ results }: { results: Results }) {
  return (
    <section className="stack" aria-labelledby="resultats">
      <h2 id="resultats">Résultats</h2>
      <p>
        {formatNumber(results.ballots)} bulletin{results.ballots > 1 ? "s" : ""} pour{" "}
        {formatNumber(results.electorate)} organisation{results.electorate > 1 ? "s" : ""} appelée
        {results.electorate > 1 ? "s" : ""} à voter.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Décompte par sujet et par collège (approbations)</caption>
          <thead>
            <tr>
              <th scope="col">Sujet</th>
              <th scope="col">Score équilibré</th>
              <th scope="col">Total</th>
              {results.colleges.map((c) => (
                <th scope="col" key={c.college}>
                  {collegeLabels[c.college]} ({c.ballots} bulletin{c.ballots > 1 ? "s" : ""})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {results.topics.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.title}</th>
                <td>{percent(t.score)}</td>
                <td>{t.approvals}</td>
                {results.colleges.map((c) => (
                  <td key={c.college}>{t.byCollege[c.college]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
