import { scaleLinear } from "d3-scale";
import { curveLinearClosed, lineRadial } from "d3-shape";

export type MosaicFigure = {
  section: string;
  label: string;
  score: number;
  q1: number | null;
  median: number | null;
  q3: number | null;
};

const SIZE = 420;
const RADIUS = 150;
const formatPercent = (value: number | null) =>
  value === null ? "—" : `${value.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} %`;

/**
 * The "mosaïque des enjeux": a radar of the team's score per enjeu over the band between the
 * quartiles of comparable collectivities and their median, drawn on the server as SVG. The same
 * figures are in the table beside it, which is what a screen reader reads.
 */
export function MosaicChart({
  figures,
  comparison,
  caption,
}: {
  figures: MosaicFigure[];
  comparison: boolean;
  caption: string;
}) {
  const radius = scaleLinear().domain([0, 100]).range([0, RADIUS]);
  const angle = (index: number) => (index / figures.length) * 2 * Math.PI;
  const shape = (values: number[]) =>
    lineRadial<number>()
      .angle((_, index) => angle(index))
      .radius((value) => radius(value))
      .curve(curveLinearClosed)(values) ?? "";
  const centre = SIZE / 2;
  const point = (index: number, value: number) => {
    const a = angle(index) - Math.PI / 2;
    return [centre + Math.cos(a) * radius(value), centre + Math.sin(a) * radius(value)] as const;
  };
  const hasBand = comparison && figures.every((f) => f.q1 !== null && f.q3 !== null);
  return (
    <div className="mosaic">
      <figure className="mosaic__chart">
        <svg
          viewBox={`0 0 ${SIZE} ${SIZE}`}
          role="img"
          aria-labelledby="mosaic-title"
          className="chart"
        >
          <title id="mosaic-title">{caption}</title>
          <g transform={`translate(${centre},${centre})`}>
            {[25, 50, 75, 100].map((tick) => (
              <circle key={tick} r={radius(tick)} className="chart__grid" />
            ))}
            {hasBand ? (
              <>
                <path d={shape(figures.map((f) => f.q3 ?? 0))} className="mosaic__band" />
                <path d={shape(figures.map((f) => f.q1 ?? 0))} className="mosaic__band-inner" />
                <path d={shape(figures.map((f) => f.median ?? 0))} className="mosaic__median" />
              </>
            ) : null}
            <path d={shape(figures.map((f) => f.score))} className="mosaic__score" />
          </g>
          {figures.map((figure, index) => {
            const [x, y] = point(index, 118);
            const [px, py] = point(index, figure.score);
            return (
              <g key={figure.section}>
                <circle cx={px} cy={py} r={4} className="mosaic__dot" />
                <text
                  x={x}
                  y={y}
                  textAnchor={x < centre - 5 ? "end" : x > centre + 5 ? "start" : "middle"}
                  className="chart__label"
                >
                  {index + 1}
                </text>
              </g>
            );
          })}
        </svg>
        <figcaption className="muted">
          Trait plein : votre score par enjeu (numérotés comme dans le tableau).
          {hasBand
            ? " Zone grisée : de l'un à l'autre quartile des collectivités comparables ; pointillés : leur médiane."
            : null}
        </figcaption>
      </figure>
      <div className="table-wrap">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Enjeu</th>
              <th scope="col">Votre score</th>
              {comparison ? (
                <>
                  <th scope="col">1er quartile</th>
                  <th scope="col">Médiane</th>
                  <th scope="col">3e quartile</th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {figures.map((figure, index) => (
              <tr key={figure.section}>
                <th scope="row">
                  {index + 1}. {figure.label}
                </th>
                <td>{formatPercent(figure.score)}</td>
                {comparison ? (
                  <>
                    <td>{formatPercent(figure.q1)}</td>
                    <td>{formatPercent(figure.median)}</td>
                    <td>{formatPercent(figure.q3)}</td>
                  </>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
