/**
 * Imports every index definition so that it registers itself. Each domain adds its line here.
 */
import "./events";
import "./initiatives";

export { indexDefinitions } from "./registry";
