// Templates (handlebars) of a generated Pulumi project: `dstack generate -f FILE -o DIR`. Every file is
// stamped as generated; nothing machine- or time-dependent goes in, so a re-run is byte-identical.
export const PULUMI_YAML = `# {{{stamp}}}
name: {{{project}}}
description: {{{description}}}
runtime: nodejs
main: index.js
`;

export const STACK_YAML = `# {{{stamp}}}
# Stack settings. The pool itself is described by dstack-pool.json; no secret is kept here (a pool has
# none: SSH keys are public, registry passwords and secret env values stay with the runs).
config:
{{#if keys.length}}
  dstack:sshPublicKeys:
{{#each keys}}
    - {{{this}}}
{{/each}}
{{else}}
  dstack:sshPublicKeys: []
{{/if}}
`;

export const INDEX_JS = `// {{{stamp}}}
// The program: this package's stack builder, given the compiled pool spec kept beside it as data.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { poolStack } from "dstack/stacks";

const spec = JSON.parse(readFileSync(new URL("./dstack-pool.json", import.meta.url), "utf8"));
const keys = new pulumi.Config("dstack").getObject("sshPublicKeys") ?? [];

export default () => poolStack({ ...spec, ssh_public_keys: keys });
`;

export const README_MD = `<!-- {{{stamp}}} -->
# {{{project}}}

The infrastructure of the dstack {{{kind}}} \`{{{pool}}}\` on {{{backendTitle}}} ({{{region}}}), as a standalone
Pulumi project. It was generated from \`{{{configFile}}}\` by \`dstack generate\`; regenerate it rather than
editing it:

    {{{regenerate}}}

What it creates is described in \`dstack-pool.json\` (readable data: instances, their offer, zone, spot,
disk, volumes, ports); \`index.js\` hands it to dstack's stack builder. Every cloud resource is tagged
\`dstack-managed=true\`, \`dstack-project\`, \`dstack-pool\` and \`dstack-instance\`.

{{#each summary}}
- {{{this}}}
{{/each}}

## Run it with plain Pulumi

    npm install
    pulumi stack init {{{stack}}}      # or: pulumi stack select {{{stack}}}
    pulumi preview
    pulumi up

Credentials come from the cloud's usual sources ({{{credentials}}}). SSH public keys allowed on the
instances are the stack setting \`dstack:sshPublicKeys\` in \`Pulumi.{{{stack}}}.yaml\`.

Volumes are kept when the stack is destroyed (\`retainOnDelete\`): \`pulumi destroy\` removes the
instances and the network, never your data. Delete a volume in the cloud console when you mean to.

An instance whose \`idle_duration_s\` is set in \`dstack-pool.json\` (the configuration's
\`idle_duration\`) powers itself off that long after its last job, plus a grace of at most 2 minutes,
since no dstack watches a stack run with plain Pulumi: on AWS that terminates it, on GCP it stops. Run
\`pulumi refresh\` afterwards (or \`pulumi up\`, which creates it again). \`null\` means never.
`;

export const GITIGNORE = `# {{{stamp}}}
node_modules/
`;
