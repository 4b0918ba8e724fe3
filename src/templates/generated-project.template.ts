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
{{#if registryStack}}
  # The project's registry stack (registry/): the instances launch with its identity. Remove this line
  # to run the pool without registry rights; give \`<organization>/<project>/<stack>\` for another one.
  dstack:registryStack: {{{registryStack}}}
{{/if}}
`;

export const INDEX_JS = `// {{{stamp}}}
// The program: this package's stack builder, given the compiled pool spec kept beside it as data.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { poolStack, registryIdentity } from "dstack/stacks";

const spec = JSON.parse(readFileSync(new URL("./dstack-pool.json", import.meta.url), "utf8"));
const config = new pulumi.Config("dstack");
const keys = config.getObject("sshPublicKeys") ?? [];
// The registry stack whose identity the instances launch with (pull and push of prebuilt images, no
// credentials in user data); read from that stack's outputs when this one runs.
const registryStack = config.get("registryStack");

export default async () =>
  poolStack({
    ...spec,
    ssh_public_keys: keys,
    ...(registryStack === undefined ? {} : { registry: await registryIdentity(registryStack) }),
  });
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
{{#if registry}}
    (cd registry && pulumi stack init {{{stack}}} && pulumi up)   # once per project, cloud and region
{{/if}}
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
{{#if registry}}

## The registry (\`registry/\`)

\`registry/\` is a second Pulumi project, \`{{{registry.project}}}\`: the dstack project's container registry
on {{{backendTitle}}} in {{{region}}}, where prebuilt environments (a configuration's \`build\`) are kept. It
creates {{{registry.summary}}}. It is a project of its own, not part of this one, because it belongs to
the dstack project rather than to this {{{kind}}}: several pools share it, it outlives them, and
destroying a pool never deletes images. \`registry/dstack-registry.json\` describes it.

Apply it before the pool. The pool reads its \`instance_identity\` output through the stack setting
\`dstack:registryStack\` (\`{{{registryStack}}}\`, in this stack's organization) and launches its instances
with that identity, so they pull and push with short-lived tokens the cloud gives the VM; no registry
credential is ever written into user data. Remove the setting to run the pool without registry rights.
Destroying the registry stack deletes its images (\`dstack build\` makes them again): destroy the pools
that use it first.
{{/if}}
`;

export const REGISTRY_STACK_YAML = `# {{{stamp}}}
# Stack settings of the registry. It is described by dstack-registry.json and has no other settings.
config: {}
`;

export const REGISTRY_INDEX_JS = `// {{{stamp}}}
// The program: this package's registry stack builder, given the registry spec kept beside it as data.
import { readFileSync } from "node:fs";
import { registryStack } from "dstack/stacks";

const spec = JSON.parse(readFileSync(new URL("./dstack-registry.json", import.meta.url), "utf8"));

export default () => registryStack(spec);
`;

export const GITIGNORE = `# {{{stamp}}}
node_modules/
`;
