import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { CouncilResults } from "~/components/council-results";
import { CheckboxGroup, FormErrors } from "~/components/forms";
import { Notice } from "~/components/notice";
import {
  ballotOfViewer,
  ballotTopics,
  castBallot,
  electorate,
  getVote,
  voteResults,
} from "~/models/council-votes.server";
import { requireUser } from "~/utils/auth.server";
import { BallotSchema, collegeLabels } from "~/utils/council-schemas";
import { formatDateTime } from "~/utils/dates";
import { unlessRateLimited, consume } from "~/utils/rate-limit.server";
import { formRateLimited, invariantResponse } from "~/utils/replies.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const vote = await getVote(params.id ?? "");
  invariantResponse(vote, "Vote introuvable.");
  const [topics, voters, results, ballot] = await Promise.all([
    ballotTopics(vote.callId),
    electorate(vote.id),
    voteResults(vote.id),
    ballotOfViewer(context.auth.user, vote.id),
  ]);
  return {
    vote: {
      ...vote,
      opensAt: formatDateTime(vote.opensAt),
      closesAt: formatDateTime(vote.closesAt),
    },
    topics,
    voters,
    results: results.status === "closed" ? results : null,
    ballot,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const submission = parseWithZod(await args.request.formData(), { schema: BallotSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply(), receipt: null, replaced: false }, { status: 400 });
  }
  const cast = await unlessRateLimited(async () => {
    await consume("council-ballot", user.id);
    return castBallot(user, args.params.id ?? "", submission.value.topicIds);
  });
  if (!("ok" in cast)) {
    return formRateLimited(cast, submission, { extra: { receipt: null, replaced: false } });
  }
  if (!cast.ok) {
    invariantResponse(cast.status !== 404, "Vote introuvable.");
    return json(
      {
        result: submission.reply({
          fieldErrors: cast.fieldErrors,
          formErrors: cast.formError ? [cast.formError] : undefined,
        }),
        receipt: null,
        replaced: false,
      },
      { status: cast.status },
    );
  }
  // No redirect: the receipt is a secret shown once, which a URL would leak into logs.
  return json({ result: submission.reply(), ...cast.value });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.vote.title} — Conseil des partenaires` : "Vote introuvable" },
];

export default function CouncilVotePage() {
  const { vote, topics, voters, results, ballot } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "bulletin",
    lastResult: data?.result,
    defaultValue: { topicIds: ballot.topicIds },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BallotSchema }),
  });
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/conseil", label: "Conseil des partenaires" }]} current="Vote" />
      <h1>{vote.title}</h1>
      <section className="card stack" aria-labelledby="regles">
        <h2 id="regles">Règles du vote</h2>
        <ul>
          <li>
            Ouvert du {vote.opensAt} au {vote.closesAt} (heure de Paris) ; aucun bulletin n'est reçu
            après la clôture.
          </li>
          <li>
            Chaque organisation membre (collectivité ou partenaire ayant au moins un membre validé à
            l'ouverture du vote) dispose d'un bulletin, déposé par son ou sa référent·e.
          </li>
          <li>
            Vote par approbation : cochez jusqu'à {vote.maxChoices} sujets. Un nouveau bulletin de
            la même organisation remplace le précédent.
          </li>
          <li>
            Le dépouillement reste scellé jusqu'à la clôture. Les résultats sont donnés par sujet et
            par collège ; le classement suit un score équilibré : la moyenne, sur les collèges qui
            ont voté, de la part de leurs bulletins qui approuvent le sujet.
          </li>
          <li>
            Chaque bulletin reçoit un reçu secret. Après la clôture, la liste anonyme des bulletins
            est publiée avec l'empreinte de chaque reçu : votre organisation y retrouve le sien,
            sans que personne d'autre puisse le relier à elle.
          </li>
        </ul>
      </section>

      {data?.receipt ? (
        <Notice kind="success" className="stack">
          <p>
            {data.replaced
              ? "Bulletin enregistré : il remplace le précédent de votre organisation."
              : "Bulletin enregistré."}
          </p>
          <p>
            Votre reçu (à conserver, il ne sera plus affiché) : <code>{data.receipt}</code>
          </p>
        </Notice>
      ) : null}

      {results ? (
        <>
          <CouncilResults results={results} />
          <p className="actions">
            <a href={`/conseil/votes/${vote.id}/bulletins.csv`}>Bulletins anonymisés (CSV)</a>
            <a href={`/conseil/votes/${vote.id}/bulletins.json`}>Bulletins anonymisés (JSON)</a>
            <Link to="/conseil/verifier">Vérifier un reçu</Link>
          </p>
        </>
      ) : (
        <Notice kind="info">
          Le dépouillement est scellé : les résultats seront publiés à la clôture, le{" "}
          {vote.closesAt}.
        </Notice>
      )}

      {vote.open && ballot.mayVote ? (
        <section className="card stack" aria-labelledby="voter">
          <h2 id="voter">Le bulletin de votre organisation</h2>
          <Form method="post" className="stack" {...getFormProps(form)} noValidate>
            <FormErrors errors={form.errors} id={form.errorId} />
            <CheckboxGroup
              legend={`Sujets approuvés (${vote.maxChoices} au plus)`}
              meta={fields.topicIds}
              options={topics.map((t) => ({ value: t.id, label: t.title }))}
            />
            <button type="submit">
              {ballot.topicIds.length > 0 ? "Remplacer le bulletin" : "Voter"}
            </button>
          </Form>
        </section>
      ) : null}

      <section className="stack" aria-labelledby="electeurs">
        <h2 id="electeurs">Corps électoral ({voters.length} organisations)</h2>
        <ul>
          {voters.map((v) => (
            <li key={v.code}>
              {v.name} — {collegeLabels[v.college]}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
