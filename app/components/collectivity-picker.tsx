import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";

import { ErrorList } from "./forms";

type Suggestion = { code: string; name: string; kind: string; departmentCode: string | null };

export type Candidate = Suggestion & { postcodes?: string[] };

const kindShort: Record<string, string> = {
  commune: "commune",
  epci: "intercommunalité",
  departement: "département",
  region: "région",
};

export function describeCandidate(c: Candidate) {
  const where = c.departmentCode ? `, ${c.departmentCode}` : "";
  return `${c.name} — ${kindShort[c.kind] ?? c.kind}${where} (${c.code})`;
}

/**
 * A text field that suggests collectivities from the directory while typing (a native datalist,
 * so keyboards and screen readers handle it). Without JavaScript the server resolves the typed
 * name or code, and asks to choose among the candidates when several match.
 */
export function CollectivityPicker({
  name,
  label,
  defaultValue,
  errors,
  candidates,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  errors?: string[];
  candidates?: Candidate[];
}) {
  const id = useId();
  const fetcher = useFetcher<{ items: Suggestion[] }>();
  const [value, setValue] = useState(defaultValue ?? "");
  const { load } = fetcher;
  useEffect(() => {
    if (value.trim().length < 2 || /\(.+\)$/.test(value)) return;
    const timer = setTimeout(() => {
      load(
        `/api/v1/collectivities?${new URLSearchParams({ q: value, pageSize: "10" }).toString()}`,
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [value, load]);
  const suggestions = fetcher.data?.items ?? [];
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="hint" id={`${id}-hint`}>
        Nom, code postal ou code INSEE ; choisissez dans la liste proposée.
      </span>
      <input
        id={id}
        name={name}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        list={`${id}-list`}
        autoComplete="off"
        aria-invalid={errors && errors.length > 0 ? true : undefined}
        aria-describedby={`${id}-hint${errors && errors.length > 0 ? ` ${errorId}` : ""}`}
      />
      <datalist id={`${id}-list`}>
        {suggestions.map((s) => (
          <option key={s.code} value={`${s.name} (${s.code})`}>
            {describeCandidate(s)}
          </option>
        ))}
      </datalist>
      <ErrorList id={errorId} errors={errors} />
      {candidates && candidates.length > 0 ? (
        <fieldset>
          <legend>Précisez votre collectivité</legend>
          <div className="stack">
            {candidates.map((c) => (
              <label key={c.code} className="choices">
                <input type="radio" name={`${name}Code`} value={c.code} />
                {describeCandidate(c)}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}
