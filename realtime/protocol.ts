/**
 * The socket.io contract shared by the server and the browser. Event names are `domain:verb`;
 * room names come from the helpers below, never from string literals elsewhere.
 */
export type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

export type SocketUser = { id: string; name: string };

// Later domains add their events here.
export interface ServerToClientEvents {
  "session:ended": (payload: { reason: "logout" | "password" | "revoked" | "deleted" }) => void;
}

export interface ClientToServerEvents {
  "session:ping": (ack: (result: Ack<{ userId: string }>) => void) => void;
}

export interface SocketData {
  user: SocketUser & { roles: string[] };
  sessionId: string | null;
}

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};
