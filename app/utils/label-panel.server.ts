import { createRequire } from "node:module";

import { Resvg } from "@resvg/resvg-js";
import QRCode from "qrcode";

import { levelSpoken, mentionLabel } from "./label";

/**
 * The "@" panel a labelled collectivity puts at the entrance of the village and on its website:
 * an SVG drawn here (text escaped, QR code to the public verification page), and its PNG rendered
 * on the server with the DejaVu fonts shipped as a dependency, so it looks the same everywhere.
 */
export type PanelInput = {
  name: string;
  year: number;
  level: number;
  mentions: string[];
  verifyUrl: string;
};

const WIDTH = 800;
const HEIGHT = 520;

export function escapeXml(text: string) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** The QR code as one path of unit squares, placed at (x, y) with the given size. */
function qrPath(url: string, x: number, y: number, size: number) {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const count = qr.modules.size;
  const cell = size / count;
  let d = "";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.modules.data[row * count + col]) {
        d += `M${(x + col * cell).toFixed(2)} ${(y + row * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`;
      }
    }
  }
  return `<path d="${d}" fill="#111826"/>`;
}

/** A long name is set smaller rather than cut. */
function nameSize(name: string) {
  if (name.length <= 18) return 46;
  if (name.length <= 28) return 36;
  if (name.length <= 40) return 28;
  return 22;
}

export function panelSvg(input: PanelInput) {
  const at = Array.from({ length: 5 }, (_, index) => {
    const on = index < input.level;
    return `<text x="${150 + index * 100}" y="250" text-anchor="middle" font-size="110" font-weight="bold" fill="${on ? "#1f4e79" : "#c9d1dc"}">@</text>`;
  }).join("");
  const mentions = input.mentions
    .slice(0, 2)
    .map(
      (slug, index) =>
        `<text x="40" y="${448 + index * 26}" font-size="20" fill="#7a4f00">★ ${escapeXml(mentionLabel(slug))}</text>`,
    )
    .join("");
  const name = escapeXml(input.name);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(`${input.name} : label Territoires, Villes et Villages Internet ${input.year}, ${levelSpoken(input.level)}`)}" font-family="DejaVu Sans, Verdana, sans-serif">
<title>${name} — label ${input.year}, ${levelSpoken(input.level)}</title>
<rect x="8" y="8" width="${WIDTH - 16}" height="${HEIGHT - 16}" rx="28" fill="#ffffff" stroke="#b3261e" stroke-width="16"/>
<text x="${WIDTH / 2}" y="78" text-anchor="middle" font-size="26" font-weight="bold" fill="#1d2430">Territoires, Villes et Villages Internet</text>
<text x="${WIDTH / 2}" y="112" text-anchor="middle" font-size="22" fill="#4f5968">Label ${input.year}</text>
${at}
<text x="${WIDTH / 2}" y="${330 + nameSize(input.name) / 3}" text-anchor="middle" font-size="${nameSize(input.name)}" font-weight="bold" fill="#111826">${name}</text>
${mentions}
<rect x="${WIDTH - 172}" y="${HEIGHT - 172}" width="136" height="136" fill="#ffffff"/>
${qrPath(input.verifyUrl, WIDTH - 164, HEIGHT - 164, 120)}
<text x="${WIDTH - 104}" y="${HEIGHT - 180}" text-anchor="middle" font-size="14" fill="#4f5968">Vérifier</text>
</svg>`;
}

let fontFiles: string[] | undefined;

function fonts() {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) =>
      require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
    );
  }
  return fontFiles;
}

export function panelPng(svg: string, width = 1600) {
  const rendered = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    font: { fontFiles: fonts(), loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  }).render();
  return rendered.asPng();
}

/** A small QR code alone, as SVG, for the verification page and the HTML snippet. */
export function qrSvg(url: string, size = 160) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="Code QR vers la page de vérification"><rect width="${size}" height="${size}" fill="#fff"/>${qrPath(url, 8, 8, size - 16)}</svg>`;
}
