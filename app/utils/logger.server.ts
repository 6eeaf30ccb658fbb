import pino from "pino";

import { getConfig } from "../config.server";
import { singleton } from "./singleton.server";

export const logger = () =>
  singleton("logger", () =>
    pino({
      level: getConfig().logLevel,
      base: { app: "territoires-internet" },
      redact: ["req.headers.cookie", "req.headers.authorization", "password"],
    }),
  );
