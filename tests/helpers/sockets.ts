import { io } from "socket.io-client";
import { expect, vi } from "vitest";

import type { ClientSocket } from "../../realtime/topic-client";
import type { TestApp } from "./app";

type ConnectOptions = { cookie?: string; token?: string; origin?: string | null };

/** A real socket.io client as a browser would open it (WebSocket, Origin, session cookie). */
export function socketFor(app: Pick<TestApp, "origin">, options: ConnectOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.origin !== null) headers.Origin = options.origin ?? app.origin;
  if (options.cookie) headers.Cookie = options.cookie;
  return io(app.origin, {
    transports: ["websocket"],
    extraHeaders: headers,
    auth: options.token ? { token: options.token } : {},
    reconnection: false,
    forceNew: true,
  }) as ClientSocket;
}

/** Connects, or rejects with the server's refusal. */
export function connect(app: Pick<TestApp, "origin">, options: ConnectOptions = {}) {
  const socket = socketFor(app, options);
  return new Promise<ClientSocket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the next `event` payload matching `predicate`. */
export function nextEvent<T>(
  socket: ClientSocket,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event as "typing", handler as never);
      reject(new Error(`pas d'événement ${event} en ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event as "typing", handler as never);
      resolve(payload);
    };
    socket.on(event as "typing", handler as never);
  });
}

export function joinTopic(socket: ClientSocket, topicId: unknown) {
  return new Promise<{ ok: boolean; lastPostId?: number | null; error?: { code: string } }>(
    (resolve) => {
      socket.emit("topic:join", topicId as number, (result) => resolve(result));
    },
  );
}

/** Counts the syncs of a topic follower (`onSynced`), and waits until there have been `target`. */
export function syncCounter() {
  let synced = 0;
  return {
    onSynced: () => {
      synced += 1;
    },
    waitSynced: (target: number) =>
      vi.waitFor(() => expect(synced).toBeGreaterThanOrEqual(target), {
        timeout: 5000,
        interval: 10,
      }),
  };
}
