import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";

import { getSocket } from "~/utils/socket.client";

/** Header link to /notifications whose unread count follows `notification` events live. */
export function NotificationBadge({ initialCount }: { initialCount: number }) {
  const [count, setCount] = useState(initialCount);
  useEffect(() => setCount(initialCount), [initialCount]);
  useEffect(() => {
    const socket = getSocket();
    const onNotification = (event: { unreadCount: number }) => setCount(event.unreadCount);
    socket.on("notification", onNotification);
    return () => {
      socket.off("notification", onNotification);
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
