import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";

import { SeriesFields } from "~/components/event-series-fields";
import { FormErrors } from "~/components/forms";
import { createSeries } from "~/models/event-series-writes.server";
import { requirePublisher, requireRole } from "~/utils/auth.server";
import { SeriesFormSchema } from "~/utils/event-series-schemas";
import { consume } from "~/utils/rate-limit.server";
import { submitForm } from "~/utils/replies.server";

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "organiser");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args, "organiser");
  return submitForm(
    await args.request.formData(),
    SeriesFormSchema,
    async (value) => {
      await consume("event-write", user.id);
      return createSeries(user, value);
    },
    { done: (created) => `/evenements/series/${created.slug}/gestion?cycle=cree` },
  );
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [
  { title: "Créer un cycle d'événements — Territoires Internet" },
];

export default function NewSeriesPage() {
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "cycle",
    lastResult: data?.result,
    defaultValue: { status: "draft" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SeriesFormSchema }),
  });
  return (
    <div className="narrow stack">
      <p>
        <Link to="/evenements/series">← Cycles d'événements</Link>
      </p>
      <h1>Créer un cycle d'événements</h1>
      <p>
        Vous inviterez ensuite les collectivités hôtes ; chacune crée et gère son étape une fois
        l'invitation acceptée par son référent.
      </p>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors errors={form.errors} id={form.errorId} />
        <SeriesFields fields={fields} />
        <div>
          <button type="submit">Enregistrer le cycle</button>
        </div>
      </Form>
    </div>
  );
}
