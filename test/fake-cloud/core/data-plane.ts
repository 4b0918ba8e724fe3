// The registries' data plane. The fake models ECR, Artifact Registry and ACR as control-plane records
// only; no image can be pushed to `<account>.dkr.ecr.<region>.amazonaws.com` from here. When the
// plugin's environment names a real registry on loopback (DSTACK_FAKE_CLOUD_REGISTRY=127.0.0.1:5000,
// set by tests that push), the repositories' endpoints point into it instead, one path prefix per cloud
// and region, so booted instances push and pull real images and the CLI finds them there. Unset: the
// clouds' own host names, as before.
export const REGISTRY_ENV = "DSTACK_FAKE_CLOUD_REGISTRY";

/** host:port of the loopback registry standing in for the clouds' registries, or undefined. */
export function dataPlaneHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env[REGISTRY_ENV] ?? "";
  if (host === "") return undefined;
  if (!/^127\.\d+\.\d+\.\d+:\d+$/.test(host))
    throw new Error(`${REGISTRY_ENV} is "${host}"; expected a loopback host:port such as 127.0.0.1:5000`);
  return host;
}
