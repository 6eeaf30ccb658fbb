import { runCli } from "./cli";

await runCli(
  { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  async (values) => {
    const { emailSchema, nameSchema, passwordSchema, z } = await import("../app/utils/validation");
    const parsed = z
      .object({ email: emailSchema, password: passwordSchema, name: nameSchema })
      .safeParse(values);
    if (!parsed.success) {
      throw new Error(
        `${parsed.error.issues.map((i) => `--${i.path.join(".")} : ${i.message}`).join(" ; ")}\nUsage : npm run admin:create -- --email E --password P --name N`,
      );
    }
    const { upsertAdmin } = await import("../app/models/accounts.server");
    const result = await upsertAdmin(parsed.data);
    return result.created
      ? `Administrateur créé : ${parsed.data.email}`
      : `Administrateur mis à jour : ${parsed.data.email} (mot de passe et nom remplacés, sessions fermées)`;
  },
);
