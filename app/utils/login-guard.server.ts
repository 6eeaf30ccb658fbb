import { randomBytes } from "node:crypto";

import { createCookie } from "@remix-run/node";
import { eq } from "drizzle-orm";

import { db } from "../../db/client";
import { appMeta } from "../../db/schema";
import { getConfig } from "../config.server";
import { sha256 } from "./ids.server";
import {
  countFailure,
  limitAlreadyReached,
  resetLimit,
  type RateLimitedError,
} from "./rate-limit.server";
import { singleton } from "./singleton.server";

/**
 * The login limits (issue 10, item 4): only failures count, and a stranger cannot lock the owner
 * out. The account limit is kept per (account, address), with a much higher ceiling per account;
 * a browser where the account logged in before (a signed cookie) is judged on its own failures.
 */

const SECRET_KEY = "login-device-secret";
const MAX_REMEMBERED = 5;

/** The signing secret, made once and kept in PostgreSQL so that every instance shares it. */
function deviceSecret(): Promise<string> {
  const cached = singleton("login-device-secret", () => ({
    value: null as Promise<string> | null,
  }));
  cached.value ??= (async () => {
    await db
      .insert(appMeta)
      .values({ key: SECRET_KEY, value: randomBytes(32).toString("base64url") })
      .onConflictDoNothing();
    const [row] = await db
      .select({ value: appMeta.value })
      .from(appMeta)
      .where(eq(appMeta.key, SECRET_KEY));
    if (!row) throw new Error("secret des appareils connus introuvable");
    return row.value;
  })().catch((error: unknown) => {
    cached.value = null;
    throw error;
  });
  return cached.value;
}

async function deviceCookie() {
  return createCookie("ti_appareil", {
    secrets: [await deviceSecret()],
    httpOnly: true,
    sameSite: "lax",
    secure: getConfig().cookieSecure,
    // Only the login page reads it.
    path: "/connexion",
    maxAge: 400 * 24 * 60 * 60,
  });
}

/** Accounts are named by a hash of their email: no address is written in the limits table. */
const accountKey = (email: string) => sha256(`compte:${email.toLowerCase()}`).slice(0, 32);

type Device = { id: string; accounts: string[] };

/** The browser's id and the accounts that logged in from it, when its cookie is genuine. */
async function deviceOf(cookieHeader: string | null): Promise<Device | null> {
  const value = (await (await deviceCookie()).parse(cookieHeader)) as Partial<Device> | null;
  if (typeof value?.id !== "string" || !Array.isArray(value.accounts)) return null;
  return { id: value.id, accounts: value.accounts.filter((item) => typeof item === "string") };
}

export type LoginAttempt = { email: string; ip: string; cookieHeader: string | null };

type Keys = { account: string; ip: string; device: Device | null; knownDevice: string | null };

async function keysOf(attempt: LoginAttempt): Promise<Keys> {
  const account = accountKey(attempt.email);
  const device = await deviceOf(attempt.cookieHeader);
  const known = device?.accounts.includes(account) ? sha256(`${device.id}:${account}`) : null;
  return { account, ip: attempt.ip, device, knownDevice: known };
}

/** The 429 to answer before checking the password, or undefined. */
export async function loginRefused(attempt: LoginAttempt): Promise<RateLimitedError | undefined> {
  const { account, ip, knownDevice } = await keysOf(attempt);
  if (knownDevice) return limitAlreadyReached("login-device", knownDevice);
  return (
    (await limitAlreadyReached("login-ip", ip)) ??
    (await limitAlreadyReached("login-account-ip", `${account}:${ip}`)) ??
    (await limitAlreadyReached("login-account", account))
  );
}

export async function countLoginFailure(attempt: LoginAttempt) {
  const { account, ip, knownDevice } = await keysOf(attempt);
  await countFailure("login-ip", ip);
  await countFailure("login-account-ip", `${account}:${ip}`);
  await countFailure("login-account", account);
  if (knownDevice) await countFailure("login-device", knownDevice);
}

/** Whether this browser logged in to this account before (its signed cookie says so). */
export async function isKnownDevice(attempt: LoginAttempt) {
  return (await keysOf(attempt)).knownDevice !== null;
}

/**
 * After a successful login: the (account, address) count starts again, and the browser is
 * remembered for this account. Returns the Set-Cookie header of the device cookie.
 */
export async function countLoginSuccess(attempt: LoginAttempt): Promise<string> {
  const { account, ip, device } = await keysOf(attempt);
  await resetLimit("login-account-ip", `${account}:${ip}`);
  const accounts = [account, ...(device?.accounts ?? []).filter((item) => item !== account)];
  return (await deviceCookie()).serialize({
    id: device?.id ?? randomBytes(16).toString("base64url"),
    accounts: accounts.slice(0, MAX_REMEMBERED),
  } satisfies Device);
}
