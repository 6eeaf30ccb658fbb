import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix drops an action's headers from the rendered page unless the route exports `headers`:
 * this keeps `Retry-After` on the 429 page of forms that are rate limited, whether the action
 * returned its answer or threw it to the route's error boundary.
 */
export const keepActionHeaders: HeadersFunction = ({
  actionHeaders,
  loaderHeaders,
  errorHeaders,
}) => {
  const headers = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
