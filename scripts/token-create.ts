import { runCli } from "./cli";

await runCli({ email: { type: "string" }, name: { type: "string" } }, async (values) => {
  if (typeof values.email !== "string")
    throw new Error("Usage : npm run token:create -- --email E [--name N]");
  const { findUserIdByEmail } = await import("../app/models/accounts.server");
  const { createApiToken } = await import("../app/utils/auth.server");
  const userId = await findUserIdByEmail(values.email);
  if (!userId) throw new Error(`aucun compte pour ${values.email}`);
  const name = typeof values.name === "string" ? values.name : "Ligne de commande";
  const { token } = await createApiToken(userId, name);
  return token;
});
