/** The first candidate slug that is neither reserved (a route name) nor taken, else `fallback`. */
export async function firstFreeSlug(
  candidates: string[],
  options: { reserved: Set<string>; isTaken: (slug: string) => Promise<boolean>; fallback: string },
) {
  for (const candidate of candidates) {
    if (options.reserved.has(candidate)) continue;
    if (!(await options.isTaken(candidate))) return candidate;
  }
  return options.fallback;
}
