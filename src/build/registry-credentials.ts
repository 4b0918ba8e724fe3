// Short-lived credentials for a cloud registry, asked of the cloud by the same providers and the same
// credentials the stacks use (a Pulumi program of invokes on a throwaway state, as gc's listing): AWS
// `ecr:GetAuthorizationToken` (12 hours), GCP the caller's OAuth access token (1 hour, user
// `oauth2accesstoken`). They are kept in memory for this process only, sent to the registry's API and
// to the agent over the SSH tunnel for one build or pull, and never written: not in records, not in
// user data, not in the agent's state, not in logs.
import type * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { up } from "../engine/stack-runner.js";
import { UserError } from "../errors.js";
import { scratchBackend } from "../gc/scratch.js";
import type { EngineContext } from "../pools/stack-pool.js";
import type { CloudBackend, NetworkSettings } from "../stacks/pool-spec.js";
import type { BasicCredentials } from "./registry-challenge.js";

export interface CredentialsPlace {
  backend: CloudBackend;
  region: string;
  network: NetworkSettings;
}

function credentialsProgram(place: CredentialsPlace): PulumiFn {
  return async () => {
    const pulumiSdk = await import("@pulumi/pulumi");
    const secret = (o: pulumi.Output<BasicCredentials>): pulumi.Output<BasicCredentials> =>
      pulumiSdk.secret(o);
    switch (place.backend) {
      case "aws": {
        const aws = await import("@pulumi/aws");
        const provider = new aws.Provider("registry-login", { region: place.region as never });
        const token = aws.ecr.getAuthorizationTokenOutput({}, { provider });
        return { credentials: secret(token.apply((t) => ({ username: t.userName, password: t.password }))) };
      }
      case "gcp": {
        const gcp = await import("@pulumi/gcp");
        const provider = new gcp.Provider("registry-login", {
          region: place.region,
          ...(place.network.project === undefined ? {} : { project: place.network.project }),
        });
        const config = gcp.organizations.getClientConfigOutput({ provider });
        return {
          credentials: secret(
            config.apply((c) => ({ username: "oauth2accesstoken", password: c.accessToken })),
          ),
        };
      }
      case "azure":
        throw new Error("internal: Azure registry credentials are refused before the program");
    }
  };
}

const cache = new Map<string, Promise<BasicCredentials>>();

/** The registry credentials of a cloud and region, asked once per process. */
export function registryCredentials(
  place: CredentialsPlace,
  engine: EngineContext,
  signal?: AbortSignal,
): Promise<BasicCredentials> {
  if (place.backend === "azure")
    return Promise.reject(
      new UserError(
        "unsupported",
        "prebuilt images on Azure are not supported yet: dstack cannot log in to an Azure Container Registry (it would need the ACR token exchange)",
        "place the build and its runs on aws, gcp or local (`-b aws`), or drop `build`",
      ),
    );
  const key = `${place.backend}/${place.region}/${place.network.project ?? ""}`;
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = ask(place, engine, signal);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

async function ask(
  place: CredentialsPlace,
  engine: EngineContext,
  signal?: AbortSignal,
): Promise<BasicCredentials> {
  const scratch = scratchBackend();
  try {
    const { outputs } = await up(
      {
        project: "dstack-registry-login",
        stack: `${place.backend}-${place.region}`,
        program: credentialsProgram(place),
        backend: scratch.backend,
        pulumiBinDir: engine.pulumiBinDir,
      },
      { signal, ...(engine.onOutput === undefined ? {} : { onOutput: engine.onOutput }) },
    );
    const credentials = outputs.credentials as Partial<BasicCredentials> | undefined;
    if (typeof credentials?.username !== "string" || typeof credentials.password !== "string")
      throw new UserError(
        "registry-auth",
        `the ${place.backend} provider gave no registry credentials for ${place.region}`,
      );
    return { username: credentials.username, password: credentials.password };
  } finally {
    scratch.dispose();
  }
}
