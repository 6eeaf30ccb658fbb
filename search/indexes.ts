/**
 * Imports every index definition so that it registers itself. Each domain adds its line here.
 */
import "./events";
import "./initiatives";
import "./topics";

export { indexDefinitions } from "./registry";
