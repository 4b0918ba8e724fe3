// The Docker Engine API calls the agent makes, each one request (see PROTOCOL.md for the list).
import type { ImageConfig } from "./build-config.js";
import { DockerError, daemonMessage, dockerJson, dockerRequest } from "./docker-http.js";
import { registryAuthHeader, splitImageRef } from "./image-ref.js";
import { demuxDockerLogs } from "./log-demux.js";

export interface ContainerState {
  Running: boolean;
  ExitCode: number;
  Error: string;
}

/** What the agent reads of a container's full inspect (GET /containers/{id}/json). */
export interface ContainerInfo {
  Id: string;
  Mounts?: { Type?: string; Source?: string; Destination?: string }[];
  GraphDriver?: { Name?: string; Data?: Record<string, string> | null };
}

interface StreamEvent {
  error?: string;
  aux?: { Digest?: string };
}

export class Docker {
  constructor(readonly socket: string) {}

  async imageExists(image: string): Promise<boolean> {
    const res = await dockerRequest(this.socket, "GET", `/images/${image}/json`);
    if (res.status === 404) return false;
    if (res.status !== 200) throw new DockerError(res.status, daemonMessage(res));
    return true;
  }

  /** The image's config and size (GET /images/{name}/json). */
  inspectImage(image: string): Promise<{ Config?: ImageConfig | null; Size?: number }> {
    return dockerJson(this.socket, "GET", `/images/${image}/json`);
  }

  /** The image's ENTRYPOINT followed by its CMD, as `docker run` would start it ([] when it has none). */
  async imageCommand(image: string): Promise<string[]> {
    const config = (await this.inspectImage(image)).Config;
    return [...(config?.Entrypoint ?? []), ...(config?.Cmd ?? [])];
  }

  /** Pulls an image; the daemon reports most failures inside a 200 progress stream, so read it all. */
  async pull(image: string, auth?: { username: string; password: string }): Promise<void> {
    const { fromImage, tag } = splitImageRef(image);
    const q = new URLSearchParams({ fromImage, tag });
    const headers: Record<string, string> = auth
      ? { "X-Registry-Auth": registryAuthHeader(image, auth) }
      : {};
    await this.stream(`/images/create?${q.toString()}`, headers);
  }

  /**
   * Pushes a local image; the daemon requires X-Registry-Auth even without credentials. Resolves the
   * pushed manifest's digest (the stream's last event, {"aux": {"Digest": ...}}).
   */
  async push(image: string, auth?: { username: string; password: string }): Promise<string | null> {
    const { fromImage, tag } = splitImageRef(image);
    const header = auth ? registryAuthHeader(image, auth) : "e30="; // base64url of {}
    const events = await this.stream(`/images/${fromImage}/push?tag=${encodeURIComponent(tag)}`, {
      "X-Registry-Auth": header,
    });
    return events.map((e) => e.aux?.Digest).find(Boolean) ?? null;
  }

  /** A streamed JSON answer (pull, push), read to its end: failures arrive inside a 200 as {"error"}. */
  private async stream(path: string, headers: Record<string, string>): Promise<StreamEvent[]> {
    const res = await dockerRequest(this.socket, "POST", path, undefined, headers);
    if (res.status !== 200) throw new DockerError(res.status, daemonMessage(res));
    const events = res.body
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as StreamEvent);
    const error = events.find((e) => e.error);
    if (error) throw new DockerError(500, String(error.error));
    return events;
  }

  /** A container as an image (repo:tag), with the given config over the container's. */
  async commit(id: string, image: string, config: ImageConfig): Promise<void> {
    const { fromImage, tag } = splitImageRef(image);
    const q = new URLSearchParams({ container: id, repo: fromImage, tag });
    await dockerJson(this.socket, "POST", `/commit?${q.toString()}`, config);
  }

  async removeImage(image: string): Promise<void> {
    const res = await dockerRequest(this.socket, "DELETE", `/images/${image}`);
    if (![200, 404].includes(res.status)) throw new DockerError(res.status, daemonMessage(res));
  }

  async runtimes(): Promise<string[]> {
    const info = await dockerJson<{ Runtimes?: Record<string, unknown> }>(this.socket, "GET", "/info");
    return Object.keys(info.Runtimes ?? {});
  }

  async ensureVolume(name: string, labels: Record<string, string>): Promise<void> {
    await dockerJson(this.socket, "POST", "/volumes/create", { Name: name, Labels: labels });
  }

  async create(name: string, body: Record<string, unknown>): Promise<string> {
    const q = new URLSearchParams({ name });
    return (await dockerJson<{ Id: string }>(this.socket, "POST", `/containers/create?${q.toString()}`, body))
      .Id;
  }

  async start(id: string): Promise<void> {
    await dockerJson(this.socket, "POST", `/containers/${id}/start`);
  }

  /** null when the container no longer exists. */
  async inspect(id: string): Promise<ContainerState | null> {
    const res = await dockerRequest(this.socket, "GET", `/containers/${id}/json`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new DockerError(res.status, daemonMessage(res));
    return (JSON.parse(res.body.toString("utf8")) as { State: ContainerState }).State;
  }

  /** The container's inspect, by id, id prefix or name; null when the daemon knows none. */
  async inspectContainer(idOrName: string): Promise<ContainerInfo | null> {
    const res = await dockerRequest(this.socket, "GET", `/containers/${encodeURIComponent(idOrName)}/json`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new DockerError(res.status, daemonMessage(res));
    return JSON.parse(res.body.toString("utf8")) as ContainerInfo;
  }

  /** Blocks until the container has exited; its exit code. */
  async wait(id: string): Promise<number> {
    return (await dockerJson<{ StatusCode: number }>(this.socket, "POST", `/containers/${id}/wait`))
      .StatusCode;
  }

  async stop(id: string, timeoutS = 10): Promise<void> {
    const res = await dockerRequest(this.socket, "POST", `/containers/${id}/stop?t=${timeoutS}`);
    if (![204, 304, 404].includes(res.status)) throw new DockerError(res.status, daemonMessage(res));
  }

  async remove(id: string): Promise<void> {
    const res = await dockerRequest(this.socket, "DELETE", `/containers/${id}?force=true`);
    if (![204, 404].includes(res.status)) throw new DockerError(res.status, daemonMessage(res));
  }

  /** stdout and stderr combined, as raw bytes. */
  async logs(id: string): Promise<Buffer> {
    const res = await dockerRequest(this.socket, "GET", `/containers/${id}/logs?stdout=true&stderr=true`);
    if (res.status === 404) return Buffer.alloc(0);
    if (res.status !== 200) throw new DockerError(res.status, daemonMessage(res));
    return demuxDockerLogs(res.body);
  }

  async listByLabel(label: string): Promise<string[]> {
    const q = new URLSearchParams({ all: "true", filters: JSON.stringify({ label: [label] }) });
    return (await dockerJson<{ Id: string }[]>(this.socket, "GET", `/containers/json?${q.toString()}`)).map(
      (c) => c.Id,
    );
  }
}
