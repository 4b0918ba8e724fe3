// What bench/catalog-query.mjs needs from the sources, bundled as one module.
export { compile } from "../src/compiler/compile.js";
export { expandCatalog } from "../src/catalog/expand.js";
export { loadCatalog } from "../src/catalog/load.js";
export { matchOffers } from "../src/catalog/match.js";
export { requirementsOf } from "../src/catalog/requirements.js";
export { matchOffer } from "../src/catalog/match.js";
export { prepareQuery } from "../src/catalog/query.js";
