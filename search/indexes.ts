/**
 * Imports every index definition so that it registers itself. Each domain adds its line here.
 */
import "./events";

export { indexDefinitions } from "./registry";
import "./initiatives";
