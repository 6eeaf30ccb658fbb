import type { AuthState } from "./utils/auth.server";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    auth: AuthState;
    cspNonce: string;
    requestId: string;
    clientIp: string;
  }
}

export {};
