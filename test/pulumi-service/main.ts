// The server as a process (what scripts/ensure-pulumi-service bundles and starts):
//   node server.cjs --data DIR [--port N]
// Port: --port, else DSTACK_PULUMI_SERVICE_PORT, else 9910. Users: DSTACK_PULUMI_SERVICE_CONFIG (a JSON
// file), else DSTACK_PULUMI_SERVICE_TOKENS (user:token,...), else the defaults of users.ts. Logs one line
// per request to stderr; prints `pulumi-service listening on <url>` to stdout once it listens.
import { startPulumiService } from "./server.js";
import { usersFromEnv } from "./users.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dataDir = flag("--data");
  if (dataDir === undefined) throw new Error("usage: pulumi-service --data DIR [--port N]");
  const port = Number(flag("--port") ?? process.env.DSTACK_PULUMI_SERVICE_PORT ?? "9910");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`pulumi-service: bad port ${port}`);
  const service = await startPulumiService({
    dataDir,
    port,
    users: usersFromEnv(),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`pulumi-service listening on ${service.url}\n`);
  const stop = (): void => {
    void service.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
