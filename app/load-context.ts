import type { AuthState } from "./utils/auth.server";
import type { PageDeclaration } from "./utils/page-cache.server";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    auth: AuthState;
    cspNonce: string;
    requestId: string;
    clientIp: string;
    /** Filled by `cachePage` in the loaders of public pages. */
    pageCache: PageDeclaration;
  }
}

export {};
