/**
 * An approximate, human name for a browser from its User-Agent ("Firefox sous Windows"), for the
 * new-device mail: enough for a person to recognise their own device, nothing more.
 */
const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
];

const systems: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function describeClient(userAgent: string | null) {
  if (!userAgent) return "navigateur inconnu";
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (!browser && !system) return "navigateur inconnu";
  return [browser ?? "navigateur inconnu", system ? `sous ${system}` : null]
    .filter(Boolean)
    .join(" ");
}
