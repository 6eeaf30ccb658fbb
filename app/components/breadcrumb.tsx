import { Link } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";

type Crumb = { to: string; label: ReactNode };

/** The one "Fil d'Ariane": links to the ancestors, then the current page marked for assistive tech (RGAA). */
export function Breadcrumb({ trail, current }: { trail: Crumb[]; current: ReactNode }) {
  return (
    <nav aria-label="Fil d'Ariane" className="breadcrumb">
      {trail.map((crumb) => (
        <Fragment key={crumb.to}>
          <Link to={crumb.to}>{crumb.label}</Link> ›{" "}
        </Fragment>
      ))}
      <span aria-current="page">{current}</span>
    </nav>
  );
}
