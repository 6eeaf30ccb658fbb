/**
 * The Remix build bundles its own copy of every module it imports, while server.ts and the
 * scripts load the same files through tsx. Keeping process-wide objects on globalThis makes
 * both copies share one database pool, one Meilisearch client and one socket.io server.
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  store.__singletons ??= new Map();
  if (!store.__singletons.has(name)) store.__singletons.set(name, create());
  return store.__singletons.get(name) as T;
}

export function dropSingleton(name: string) {
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  store.__singletons?.delete(name);
}
