/**
 * Route helper of the label's forms: the options of a question written one per line
 * ("valeur | libellé | points") for the admins' textarea.
 */
export function optionsText(options: Array<{ value: string; label: string; points: number }>) {
  return options.map((o) => `${o.value} | ${o.label} | ${o.points}`).join("\n");
}
