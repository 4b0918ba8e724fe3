// Agreement with dstack on its own documentation and examples (issue 12): compiles every configuration of
// test/fixtures/dstack-corpus and compares its normalized meaning with what dstack's models give it.
// Prints the corpus size, how many are accepted and agree, the percentage, the disagreements by category
// and then each one (file, fact, expected vs got). `--json` prints the measurement as JSON instead.
// Run: node bench/config-agreement.mjs [--json]
import { importBundled } from "./lib.mjs";

const { measureAgreement, formatReport, categories } = await importBundled(
  new URL("../test/unit/compiler/dstack-corpus.ts", import.meta.url).pathname,
  // The corpus module finds its fixtures next to its own source, not next to the bundle.
  {
    define: {
      "import.meta.dirname": JSON.stringify(new URL("../test/unit/compiler", import.meta.url).pathname),
    },
  },
);
const agreement = measureAgreement();
if (process.argv.includes("--json")) {
  const { size, agreeing, rejected, disagreements } = agreement;
  const percent = Math.round((1000 * agreeing) / size) / 10;
  const byCategory = categories(agreement).map(({ category, count }) => ({ category, count }));
  console.log(JSON.stringify({ size, agreeing, percent, rejected, byCategory, disagreements }, null, 2));
} else console.log(formatReport(agreement));
