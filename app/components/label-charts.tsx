import { scaleLinear } from "d3-scale";

export type Bar = { key: string; label: string; value: number };

/**
 * A horizontal bar chart drawn on the server, followed by the same figures as a table: the
 * picture for the eye, the table for everyone.
 */
export function BarChart({
  id,
  title,
  bars,
  unit,
}: {
  id: string;
  title: string;
  bars: Bar[];
  unit: string;
}) {
  const width = 560;
  const rowHeight = 28;
  const labelWidth = 190;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const x = scaleLinear()
    .domain([0, max])
    .range([0, width - labelWidth - 50]);
  const height = Math.max(rowHeight, bars.length * rowHeight) + 8;
  return (
    <figure className="bar-chart stack">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        className="chart"
      >
        <title id={`${id}-title`}>{title}</title>
        {bars.map((bar, index) => (
          <g key={bar.key} transform={`translate(0,${index * rowHeight + 4})`}>
            <text
              x={labelWidth - 8}
              y={rowHeight / 2}
              dy="0.35em"
              textAnchor="end"
              className="chart__label"
            >
              {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
            </text>
            <rect
              x={labelWidth}
              y={4}
              height={rowHeight - 10}
              width={x(bar.value)}
              className="chart__bar"
            />
            <text
              x={labelWidth + x(bar.value) + 6}
              y={rowHeight / 2}
              dy="0.35em"
              className="chart__value"
            >
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{title.split(" par ")[1] ?? "Catégorie"}</th>
                <th scope="col">{unit}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.key}>
                  <th scope="row">{bar.label}</th>
                  <td>{bar.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </figcaption>
    </figure>
  );
}
