import { useEffect, useState } from "react";

import type { EventPlaces } from "../../realtime/protocol";
import { getSocket } from "./socket.client";

/**
 * Follows the places left of a published event over the page's one socket (signed-in visitors;
 * the page stays right without it). It watches the event on every (re)connection and after a
 * `resync`, whose acknowledgement carries the current count; `live` says whether the count is
 * followed right now.
 */
export function useLivePlaces(initial: EventPlaces, enabled: boolean) {
  const [places, setPlaces] = useState(initial);
  const [live, setLive] = useState(false);
  // A new loader result (after an action) resets the count; compared by value, not identity.
  const { eventId, placesLeft, confirmed, waitlisted } = initial;
  useEffect(
    () => setPlaces({ eventId, placesLeft, confirmed, waitlisted }),
    [eventId, placesLeft, confirmed, waitlisted],
  );
  useEffect(() => {
    if (!enabled) return;
    const socket = getSocket();
    const watch = () =>
      socket.emit("event:watch", { eventId }, (result) => {
        if (!result.ok) return;
        const { ok: _ok, ...current } = result;
        setPlaces(current);
        setLive(true);
      });
    const onPlaces = (payload: EventPlaces) => {
      if (payload.eventId === eventId) setPlaces(payload);
    };
    const onDisconnect = () => setLive(false);
    socket.on("connect", watch);
    socket.on("resync", watch);
    socket.on("disconnect", onDisconnect);
    socket.on("event:places", onPlaces);
    // The socket is shared by the page: it may be connected already.
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("resync", watch);
      socket.off("disconnect", onDisconnect);
      socket.off("event:places", onPlaces);
      if (socket.connected) socket.emit("event:unwatch", { eventId }, () => {});
    };
  }, [eventId, enabled]);
  return { places, live };
}
