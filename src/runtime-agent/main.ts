// Entry point: `node dstack-agent.js /etc/dstack/agent.json`. Serves the API on 127.0.0.1, supervises
// runs every poll_interval_ms. SIGTERM stops the agent, never the runs: a restarted agent re-adopts them.
import { Agent } from "./agent.js";
import { loadConfig } from "./config.js";
import { Docker } from "./docker.js";
import { applyHostView } from "./host-view.js";
import { createApiServer } from "./http-api.js";
import { errorText, log } from "./log.js";
import { statePath } from "./paths.js";
import { loadState } from "./state.js";
import { findSelfContainer, probeSelf } from "./self-container.js";
import { checkSelfStop, ensureInstanceRecord } from "./self-stop.js";
import { adopt, tick } from "./supervise.js";
import { AGENT_API_VERSION } from "./version.js";

async function main(argv: string[]): Promise<void> {
  if (!argv[0]) {
    process.stderr.write("usage: dstack-agent <config.json>\n");
    process.exit(2);
  }
  const written = loadConfig(argv[0]);
  const docker = new Docker(written.docker_socket);
  const self = await findSelfContainer(docker, probeSelf());
  const config = applyHostView(written, self);
  log(
    self === null
      ? `not inside a container of the Docker engine at ${written.docker_socket}: runs use network ${config.network_mode}`
      : `inside container ${self.Id.slice(0, 12)} of the Docker engine: runs use network ${config.network_mode}, data on the host at ${config.host_data_dir}`,
  );
  const ctx = {
    config,
    docker,
    state: loadState(statePath(config)),
    now: Date.now,
  };
  await adopt(ctx);
  ensureInstanceRecord(ctx);
  const server = createApiServer(new Agent(ctx), Date.now());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen_port, "127.0.0.1", resolve);
  });
  log(`API ${AGENT_API_VERSION} on 127.0.0.1:${config.listen_port}, instance ${config.instance_name}`);
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    tick(ctx)
      .catch((err: unknown) => log(`supervision: ${errorText(err)}`))
      .then(() => checkSelfStop(ctx))
      .catch((err: unknown) => log(`self-stop: ${errorText(err)}`))
      .finally(() => (busy = false));
  }, config.poll_interval_ms);
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.on(sig, () => {
      log(`${sig}: exiting; runs keep running`);
      process.exit(0);
    });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  log(`fatal: ${errorText(err)}`);
  process.exit(1);
});
