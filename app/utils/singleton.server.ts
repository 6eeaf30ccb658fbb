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

/** Removes a process-wide object and returns it, so that the caller can close it. */
export function takeSingleton<T>(name: string): T | undefined {
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  const existing = store.__singletons?.get(name) as T | undefined;
  store.__singletons?.delete(name);
  return existing;
}
