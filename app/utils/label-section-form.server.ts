import { sha256 } from "./ids.server";
import { sectionSchema, type SectionFormQuestion } from "./label-section-schema";

/**
 * Route helper: the section schemas the save action parses with, built once per form. Building
 * one and its first parse (zod compiles the object's parser, conform wraps it) cost several times
 * the save itself. `formKey` names the questionnaire's revision, catégorie and enjeu, so a kept
 * schema is never stale; the collectivity's initiatives are part of the key when the section
 * offers them as evidence.
 */
const SCHEMAS_KEPT = 300;
const schemas = new Map<string, ReturnType<typeof sectionSchema>>();

export function cachedSectionSchema(
  formKey: string,
  questions: ReadonlyArray<SectionFormQuestion>,
  evidenceIds: readonly string[],
) {
  const key = evidenceIds.length > 0 ? `${formKey}:${sha256(evidenceIds.join(","))}` : formKey;
  let schema = schemas.get(key);
  if (schema) {
    // Least recently used first: reinserting moves it to the end.
    schemas.delete(key);
  } else {
    schema = sectionSchema(questions, evidenceIds);
    if (schemas.size >= SCHEMAS_KEPT) schemas.delete(schemas.keys().next().value!);
  }
  schemas.set(key, schema);
  return schema;
}
