import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";

import { getSocket } from "~/utils/socket.client";

/** Header link to /notifications whose unread count follows `notification:created` events live. */
export function NotificationBadge({ initialCount }: { initialCount: number }) {
  const [count, setCount] = useState(initialCount);
  useEffect(() => setCount(initialCount), [initialCount]);
  useEffect(() => {
    const socket = getSocket();
    const onNotification = (event: { unreadCount: number }) => setCount(event.unreadCount);
    // Notifications sent while the socket was away (a cut, or this instance's LISTEN connection
    // lost) never arrive: read the count again after each reconnection and each resync.
    let wasConnected = socket.connected;
    const refresh = () => {
      void fetch("/api/v1/me", { headers: { accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((me: { unreadNotifications?: number } | null) => {
          if (typeof me?.unreadNotifications === "number") setCount(me.unreadNotifications);
        })
        .catch((error: unknown) =>
          // The count stays as it was; the next reconnection or notification corrects it.
          console.warn("Compteur de notifications non relu :", error),
        );
    };
    const onConnect = () => {
      if (wasConnected) refresh();
      wasConnected = true;
    };
    socket.on("notification:created", onNotification);
    socket.on("connect", onConnect);
    socket.on("session:resync", refresh);
    return () => {
      socket.off("notification:created", onNotification);
      socket.off("connect", onConnect);
      socket.off("session:resync", refresh);
    };
  }, []);
  return (
    <Link to="/notifications" className="notification-link" data-testid="notifications">
      Notifications
      {count > 0 ? (
        <span className="badge badge--count" aria-live="polite">
          {count}
          <span className="visually-hidden"> non lue{count > 1 ? "s" : ""}</span>
        </span>
      ) : null}
    </Link>
  );
}
