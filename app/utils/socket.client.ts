import { io } from "socket.io-client";

import type { ClientSocket } from "../../realtime/topic-client";

let socket: ClientSocket | null = null;

/** The page's one socket (same origin, session cookie), opened on first use. */
export function getSocket(): ClientSocket {
  socket ??= io({ transports: ["websocket"], withCredentials: true });
  return socket;
}
