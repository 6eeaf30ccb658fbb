import type { ReactNode } from "react";

export type NoticeKind = "success" | "error" | "info" | "warning";

/**
 * A coloured notice (`.alert`), the one way to tell a visitor something in a box.
 *
 * Its role follows its kind, so that assistive technologies hear it the same way everywhere
 * (RGAA 7.5, status messages): an error is `role="alert"`, read at once because the visitor has
 * to act on it; a success, an information or a warning is `role="status"`, read politely when
 * it appears and harmless when it is already on the page. It is always a `div`, so its children
 * may be paragraphs.
 */
export function Notice({
  kind,
  id,
  className,
  children,
}: {
  kind: NoticeKind;
  /** For a field or form that points at the notice with `aria-describedby`. */
  id?: string;
  /** Layout classes added after the notice's own (`stack`, …). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={`alert alert--${kind}${className ? ` ${className}` : ""}`}
      role={kind === "error" ? "alert" : "status"}
      id={id}
    >
      {children}
    </div>
  );
}
