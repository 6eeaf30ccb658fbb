import { eq } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function postJson(path: string, token: string, body: unknown) {
  return app.request(path, {
    method: "POST",
    origin: null,
    headers: { ...bearer(token), "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

type ApiError = { error: { code: string; message: string; fields?: Record<string, string[]> } };

describe("API : jetons", () => {
  test("GET /api/v1/me répond avec le jeton, 401 sans ou avec un jeton révoqué", async () => {
    const user = await createTestUser({ name: "Inès Jeton" });
    const token = await apiToken(user.id);
    const me = await app.request("/api/v1/me", { headers: bearer(token) });
    expect(me.status).toBe(200);
    const body = (await me.json()) as {
      name: string;
      membership: { collectivityCode: string };
      unreadNotifications: number;
    };
    expect(body.name).toBe("Inès Jeton");
    expect(body.unreadNotifications).toBe(0);
    // The badge reads this count back after a reconnection.
    const { createNotifications } = await import("../../app/models/notifications.server");
    const { db } = await import("../../db/client");
    await createNotifications(db, [
      { userId: user.id, kind: "mention", text: "Vous avez été mentionnée", url: "/forums" },
    ]);
    const after = (await (
      await app.request("/api/v1/me", { headers: bearer(token) })
    ).json()) as typeof body;
    expect(after.unreadNotifications).toBe(1);
    expect(body.membership.collectivityCode).toBe("56260");
    expect(JSON.stringify(body)).not.toContain("passwordHash");

    const anonymous = await app.request("/api/v1/me");
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ApiError).error.code).toBe("unauthorized");
    expect((await app.request("/api/v1/me", { headers: bearer("ti_faux") })).status).toBe(401);

    const { revokeApiToken } = await import("../../app/utils/auth.server");
    const [row] = await db.select().from((await import("../../db/schema")).apiTokens);
    await revokeApiToken(user.id, row!.id);
    expect((await app.request("/api/v1/me", { headers: bearer(token) })).status).toBe(401);
  });
});

describe("API : création de membres par un administrateur", () => {
  const newMember = {
    email: "nouvelle@lavoncourt.fr",
    name: "Lucie Nouvelle",
    password: "une phrase de passe solide",
    profileKind: "agent",
    jobTitle: "Secrétaire de mairie",
    collectivityCode: "70299",
    roles: ["organiser"],
  };

  test("un membre simple reçoit 403", async () => {
    const member = await createTestUser();
    const response = await postJson("/api/v1/users", await apiToken(member.id), newMember);
    expect(response.status).toBe(403);
    expect(((await response.json()) as ApiError).error.code).toBe("forbidden");
  });

  test("un administrateur crée un membre validé avec ses rôles ; doublon 409", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const token = await apiToken(admin.id);
    const response = await postJson("/api/v1/users", token, newMember);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [user] = await db.select().from(users).where(eq(users.id, id));
    expect(user?.roles).toEqual(expect.arrayContaining(["member", "organiser"]));
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, id));
    expect(membership?.status).toBe("approved");
    const again = await postJson("/api/v1/users", token, newMember);
    expect(again.status).toBe(409);
  });

  test("un corps invalide répond 422 en nommant les champs ; du JSON cassé 400", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const token = await apiToken(admin.id);
    const response = await postJson("/api/v1/users", token, {
      email: "nope",
      roles: ["empereur"],
      password: "court",
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ApiError;
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.fields ?? {})).toEqual(
      expect.arrayContaining([
        "email",
        "name",
        "password",
        "profileKind",
        "collectivityCode",
        "roles.0",
      ]),
    );
    expect((await postJson("/api/v1/users", token, "{pas du json")).status).toBe(400);
    expect(
      (
        await postJson("/api/v1/users", token, {
          ...newMember,
          email: "autre@x.fr",
          collectivityCode: "00000",
        })
      ).status,
    ).toBe(422);
  });
});

describe("API : généralités", () => {
  test("une route inconnue répond 404 en JSON ; /healthz répond ok", async () => {
    const response = await app.request("/api/v1/nexiste-pas");
    expect(response.status).toBe(404);
    expect(((await response.json()) as ApiError).error.code).toBe("not_found");
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  test("le document OpenAPI décrit les routes et leurs schémas", async () => {
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: object } }> } }
        >
      >;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/collectivities", "/api/v1/me", "/api/v1/users"]),
    );
    const schema =
      doc.paths["/api/v1/users"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(
      expect.arrayContaining(["email", "collectivityCode", "roles"]),
    );
  });
});

describe("temps réel : poignée de main", () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((socket) => socket.close()));

  function open(options: { cookie?: string; token?: string; origin?: string | null }) {
    const headers: Record<string, string> = {};
    if (options.origin !== null) headers.origin = options.origin ?? app.origin;
    if (options.cookie) headers.cookie = options.cookie;
    const socket = connect(app.origin, {
      transports: ["websocket"],
      extraHeaders: headers,
      auth: options.token ? { token: options.token } : {},
      reconnection: false,
    });
    sockets.push(socket);
    return new Promise<{ ok: boolean; socket: Socket }>((resolve) => {
      socket.once("connect", () => resolve({ ok: true, socket }));
      socket.once("connect_error", () => resolve({ ok: false, socket }));
    });
  }

  test("refuse une connexion sans session, sans Origin ou d'une origine étrangère", async () => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    expect((await open({})).ok).toBe(false);
    expect((await open({ cookie, origin: null })).ok).toBe(false);
    expect((await open({ cookie, origin: "https://evil.example" })).ok).toBe(false);
    expect((await open({ token: "ti_nimportequoi" })).ok).toBe(false);
  });

  test("accepte le cookie de session ou un jeton d'API, et ferme le socket quand la session finit", async () => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    const viaCookie = await open({ cookie });
    expect(viaCookie.ok).toBe(true);
    const pong = await viaCookie.socket.timeout(2000).emitWithAck("session:ping");
    expect(pong).toEqual({ ok: true, userId: user.id });
    const viaToken = await open({ token: await apiToken(user.id) });
    expect(viaToken.ok).toBe(true);

    const ended = new Promise((resolve) => viaCookie.socket.once("disconnect", resolve));
    await app.request("/deconnexion", { method: "POST", cookie });
    await ended;
    expect(viaCookie.socket.connected).toBe(false);
  });
});
