// State backend decision: a file backend must be writable; S3 and Pulumi Cloud are not contacted (doctor
// makes no network calls), so they are reported as configured, with what they will need.
import { check, type Check } from "./check.js";
import type { StateProbe } from "./state-probe.js";

const NAME = "state-backend";

function passphrase(p: StateProbe): string {
  switch (p.passphraseSource) {
    case "environment":
      return `passphrase from ${p.passphraseVariable ?? "the environment"}`;
    case "file":
      return "passphrase from the generated ~/.dstack/state-passphrase";
    default:
      return "secrets kept by the service";
  }
}

export function stateCheck(p: StateProbe): Check {
  if (p.failure !== undefined || p.kind === undefined)
    return check(
      NAME,
      "error",
      `cannot use ${p.url || "the default state folder"}: ${p.failure ?? "unknown backend"}`,
      "make the folder writable, or pass --backend-url (or set DSTACK_BACKEND_URL)",
    );
  const base = `${p.url} (${p.kind}), ${passphrase(p)}`;
  switch (p.kind) {
    case "file":
      return p.writable === true
        ? check(NAME, "ok", `${base}, writable`)
        : check(
            NAME,
            "error",
            `${base}, but the folder is not writable`,
            "fix its permissions or pass --backend-url",
          );
    case "s3":
      return check(NAME, "ok", `${base} (not contacted: needs AWS credentials that can reach the bucket)`);
    case "cloud":
      return p.cloudToken === true
        ? check(NAME, "ok", `${base}, access token configured (not contacted)`)
        : check(
            NAME,
            "warning",
            `${base}, but no access token`,
            "set PULUMI_ACCESS_TOKEN or run `pulumi login`",
          );
    case "other":
      // Pulumi also has Google Cloud Storage and Azure Blob backends; anything else it will refuse.
      return /^(gs|azblob):\/\//.test(p.url)
        ? check(NAME, "ok", `${base} (not contacted)`)
        : check(
            NAME,
            "warning",
            `${base}: not a URL Pulumi knows (file://, s3://, gs://, azblob://, https://)`,
            "check --backend-url / DSTACK_BACKEND_URL",
          );
  }
}
