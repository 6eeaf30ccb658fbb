/**
 * Imports every index definition so that it registers itself. Each domain adds its line here.
 */
import "./collectivities";
import "./events";
import "./initiatives";
import "./members";
import "./posts";
import "./topics";

export { indexDefinitions } from "./registry";
