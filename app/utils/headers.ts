import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix drops an action's headers from the rendered page unless the route exports `headers`:
 * this keeps `Retry-After` on the 429 page of forms that are rate limited.
 */
export const keepActionHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
