import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from "@remix-run/react";

import { DraftRestore } from "./components/draft-restore";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { Notice } from "./components/notice";
import { NotificationBadge } from "./components/notification-badge";
import { SiteSearch } from "./components/site-search";
import { unreadNotificationCount } from "./models/notifications.server";
import "./load-context";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Territoires Internet — le réseau des collectivités numériques" },
  {
    name: "description",
    content:
      "Bonnes pratiques, forums, événements et label Territoires, Villes et Villages Internet.",
  },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth.user;
  return {
    cspNonce: context.cspNonce,
    user: user
      ? { id: user.id, name: user.name, roles: user.roles, emailVerified: user.emailVerified }
      : null,
    unreadNotifications: user
      ? await unreadNotificationCount(user.id, context.auth.unreadNotifications)
      : 0,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

const navigation = [
  { to: "/initiatives", label: "Initiatives" },
  { to: "/forums", label: "Forums" },
  { to: "/evenements", label: "Événements" },
  { to: "/label", label: "Label" },
  { to: "/annuaire", label: "Annuaire" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootData>("root");
  const nonce = data?.cspNonce;
  const user = data?.user ?? null;
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <a href="/" className="brand">
              <span aria-hidden="true" className="brand__mark">
                @
              </span>
              Territoires Internet
            </a>
            <nav aria-label="Navigation principale" className="main-nav">
              <ul>
                {navigation.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} prefetch="intent">
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <SiteSearch />
            <nav aria-label="Compte" className="account-nav">
              {user ? (
                <ul>
                  {user.roles.includes("admin") ? (
                    <li>
                      <NavLink to="/admin/adhesions">Administration</NavLink>
                    </li>
                  ) : null}
                  <li>
                    <NotificationBadge initialCount={data?.unreadNotifications ?? 0} />
                  </li>
                  <li>
                    <NavLink to="/compte">{user.name}</NavLink>
                  </li>
                  <li>
                    <form method="post" action="/deconnexion">
                      <button type="submit" className="link-button">
                        Se déconnecter
                      </button>
                    </form>
                  </li>
                </ul>
              ) : (
                <ul>
                  <li>
                    <NavLink to="/connexion">Se connecter</NavLink>
                  </li>
                  <li>
                    <NavLink to="/inscription" className="button button--small">
                      Rejoindre le réseau
                    </NavLink>
                  </li>
                </ul>
              )}
            </nav>
          </div>
        </header>
        <main id="contenu" tabIndex={-1}>
          {user && !user.emailVerified ? (
            <Notice kind="warning" className="verification-banner">
              <p>
                Confirmez votre adresse électronique pour publier : suivez le lien reçu par
                courriel. <a href="/adresse/renvoyer">Recevoir un nouveau lien</a>
              </p>
            </Notice>
          ) : null}
          <DraftRestore />
          {children}
        </main>
        <footer className="site-footer">
          <nav aria-label="Pied de page">
            <ul>
              <li>
                <a href="/accessibilite">Accessibilité : partiellement conforme</a>
              </li>
              <li>
                <a href="/confidentialite">Mentions légales et données personnelles</a>
              </li>
              <li>
                <a href="/api/v1/openapi.json">API ouverte</a>
              </li>
            </ul>
          </nav>
          <p>
            Territoires Internet — réseau des collectivités labellisées « Territoires, Villes et
            Villages Internet ».
          </p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
