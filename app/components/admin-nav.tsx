import { NavLink } from "@remix-run/react";

const sections = [
  { to: "/admin/adhesions", label: "Adhésions en attente" },
  { to: "/admin/membres", label: "Membres et rôles" },
  { to: "/admin/courriels", label: "Courriels envoyés" },
  { to: "/admin/partenaires", label: "Partenaires" },
  { to: "/conseil/admin", label: "Conseil" },
  { to: "/label/admin", label: "Label" },
];

/** The administration's pages, reachable from one another. */
export function AdminNav() {
  return (
    <nav aria-label="Administration">
      <ul className="actions">
        {sections.map((section) => (
          <li key={section.to}>
            <NavLink to={section.to} end>
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
