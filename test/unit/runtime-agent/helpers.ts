// A valid job spec and agent configuration to vary in tests.
import { parseConfig, type AgentConfig } from "../../../src/runtime-agent/config.js";
import type { JobSpec } from "../../../src/runtime-agent/spec.js";

export function jobSpec(over: Partial<JobSpec> = {}): JobSpec {
  return {
    spec_version: 1,
    name: "my-run",
    kind: "dev-environment",
    image: "dstack/base:py3.11",
    pull: false,
    repo_id: "repo-1",
    repo_upload: false,
    env: { HF_HOME: "/data/hf" },
    ports: [8888],
    volumes: [],
    working_dir: "/workflow",
    privileged: false,
    commands: [],
    init: [],
    shm_size_gb: null,
    gpus: 0,
    ssh_authorized_keys: ["ssh-ed25519 AAAAC3Nz user@laptop"],
    inactivity_duration: 600,
    max_duration: null,
    ...over,
  };
}

export function agentConfig(over: Partial<AgentConfig> = {}): AgentConfig {
  return { ...parseConfig({ instance_name: "inst-1" }), ...over };
}
