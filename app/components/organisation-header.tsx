import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

import { Notice } from "./notice";

/**
 * The top of an organisation's page, a collectivity's or a council partner's: the way back, its
 * name, what the last membership decision did, and its identity card, whose facts differ.
 */
export function OrganisationHeader({
  back,
  name,
  message,
  facts,
  children,
}: {
  back: { to: string; label: string };
  name: string;
  message?: string;
  /** The `<dt>` and `<dd>` pairs of the identity card. */
  facts: ReactNode;
  /** The rest of the identity card, below its facts. */
  children?: ReactNode;
}) {
  return (
    <>
      <p>
        <Link to={back.to}>{`← ${back.label}`}</Link>
      </p>
      <h1>{name}</h1>
      {message ? <Notice kind="success">{message}</Notice> : null}
      <section className="card" aria-labelledby="identite">
        <h2 id="identite">Identité</h2>
        <dl className="facts">{facts}</dl>
        {children}
      </section>
    </>
  );
}
