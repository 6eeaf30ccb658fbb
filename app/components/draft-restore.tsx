import { useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";

import { Notice } from "./notice";

/**
 * Nothing typed is lost when a session expired: a form marked `data-brouillon="<name>"` keeps its
 * text in this tab's storage when it is sent. If the answer was the login page, the text is
 * offered back, with a banner, on the next page that shows the same form (the one the login
 * returns to). Any other answer means the text reached the server: it is forgotten.
 */
export const DRAFT_ATTRIBUTE = "data-brouillon";

const STORAGE_KEY = "territoires:brouillon";
const LOGIN_PATH = "/connexion";
const MAX_AGE_MS = 60 * 60 * 1000;
const KEPT_INPUTS = new Set(["text", "email", "url", "search", "tel", "number", "date", "time"]);

type Draft = {
  form: string;
  fields: Record<string, string>;
  savedAt: number;
  /** "sent": waiting for the answer; "login": the answer asked to sign in first. */
  state: "sent" | "login";
};

function readDraft(): Draft | null {
  try {
    const draft = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null") as Draft | null;
    return draft && Date.now() - draft.savedAt < MAX_AGE_MS ? draft : null;
  } catch {
    return null;
  }
}

function writeDraft(draft: Draft | null) {
  try {
    if (draft) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode, quota): the page works as before, without the safety net.
  }
}

function keptFields(form: HTMLFormElement) {
  const fields: Record<string, string> = {};
  for (const element of Array.from(form.elements)) {
    const kept =
      element instanceof HTMLTextAreaElement ||
      (element instanceof HTMLInputElement && KEPT_INPUTS.has(element.type));
    if (kept && element.name && element.value.trim()) fields[element.name] = element.value;
  }
  return fields;
}

function formNamed(name: string) {
  return document.querySelector<HTMLFormElement>(`form[${DRAFT_ATTRIBUTE}="${CSS.escape(name)}"]`);
}

/** The banner of the root layout; also listens for the submissions of marked forms. */
export function DraftRestore() {
  const location = useLocation();
  const [offered, setOffered] = useState<Draft | null>(null);

  useEffect(() => {
    // Capture: seen before Remix's <Form> handles (and prevents) the native submission.
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      const name = form.getAttribute(DRAFT_ATTRIBUTE);
      if (!name) return;
      const fields = keptFields(form);
      if (Object.keys(fields).length === 0) return;
      writeDraft({ form: name, fields, savedAt: Date.now(), state: "sent" });
    };
    document.addEventListener("submit", onSubmit, true);
    return () => document.removeEventListener("submit", onSubmit, true);
  }, []);

  useEffect(() => {
    const draft = readDraft();
    if (!draft) {
      writeDraft(null);
      setOffered(null);
      return;
    }
    if (location.pathname === LOGIN_PATH) {
      if (draft.state === "sent") writeDraft({ ...draft, state: "login" });
      return;
    }
    if (draft.state === "sent") {
      writeDraft(null);
      return;
    }
    setOffered(formNamed(draft.form) ? draft : null);
  }, [location]);

  if (!offered) return null;
  const forget = () => {
    writeDraft(null);
    setOffered(null);
  };
  const restore = () => {
    const form = formNamed(offered.form);
    for (const [name, value] of Object.entries(offered.fields)) {
      const field = form?.elements.namedItem(name);
      if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) {
        field.value = value;
        // Lets the form's own validation and previews see the restored text.
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    forget();
    form?.querySelector<HTMLElement>("textarea, input:not([type=hidden])")?.focus();
  };
  return (
    <div className="container">
      <Notice kind="warning" className="stack">
        <p>
          Votre session avait expiré : le texte que vous aviez envoyé n'a pas été enregistré. Il est
          gardé dans cet onglet.
        </p>
        <p className="actions">
          <button type="button" onClick={restore}>
            Remettre mon texte dans le formulaire
          </button>
          <button type="button" className="secondary" onClick={forget}>
            Ignorer
          </button>
        </p>
      </Notice>
    </div>
  );
}
