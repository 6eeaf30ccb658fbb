import { notFound } from "~/utils/api.server";

// Unknown API paths answer JSON, like the rest of the API, rather than the HTML 404 page.
export const loader = () => notFound();
export const action = () => notFound();
