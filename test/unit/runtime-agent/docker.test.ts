// Request shapes of the Docker Engine API client, against a fake daemon on a unix socket.
import { afterEach, describe, expect, it } from "vitest";
import { DockerError } from "../../../src/runtime-agent/docker-http.js";
import { Docker } from "../../../src/runtime-agent/docker.js";
import { demuxDockerLogs } from "../../../src/runtime-agent/log-demux.js";
import { fakeDocker, type Answer, type FakeDocker, type Recorded } from "./fake-docker.js";

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(route: (r: Recorded) => Answer): Promise<Docker> {
  fake = await fakeDocker(route);
  return new Docker(fake.socket);
}

function frame(stream: 1 | 2, text: string): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([head, Buffer.from(text)]);
}

describe("Docker client", () => {
  it("reads an image's ENTRYPOINT then CMD, and [] when it has neither", async () => {
    const docker = await client((r) =>
      r.url.includes("nginx")
        ? {
            status: 200,
            body: { Config: { Entrypoint: ["/docker-entrypoint.sh"], Cmd: ["nginx", "-g", "daemon off;"] } },
          }
        : { status: 200, body: { Config: { Entrypoint: null, Cmd: null } } },
    );
    expect(await docker.imageCommand("nginx:1.27")).toEqual([
      "/docker-entrypoint.sh",
      "nginx",
      "-g",
      "daemon off;",
    ]);
    expect(await docker.imageCommand("scratchy")).toEqual([]);
    expect(fake?.requests[0]).toMatchObject({ method: "GET", url: "/images/nginx:1.27/json" });
  });

  it("checks for a local image and pulls with the tag split off and credentials in X-Registry-Auth", async () => {
    const docker = await client((r) =>
      r.url.startsWith("/images/create")
        ? { status: 200, body: '{"status":"Pulling"}\n{"status":"Done"}\n' }
        : { status: 404, body: { message: "No such image" } },
    );
    expect(await docker.imageExists("ghcr.io/o/img:1.2")).toBe(false);
    await docker.pull("ghcr.io/o/img:1.2", { username: "bot", password: "s3cret" });
    const [check, pull] = fake?.requests ?? [];
    expect(check).toMatchObject({ method: "GET", url: "/images/ghcr.io/o/img:1.2/json" });
    expect(pull).toMatchObject({ method: "POST", url: "/images/create?fromImage=ghcr.io%2Fo%2Fimg&tag=1.2" });
    const auth = JSON.parse(
      Buffer.from(String(pull?.headers["x-registry-auth"]), "base64url").toString(),
    ) as unknown;
    expect(auth).toEqual({ username: "bot", password: "s3cret", serveraddress: "ghcr.io" });
  });

  it("pull without credentials sends no auth header; an error inside the 200 stream is a failure", async () => {
    const docker = await client(() => ({
      status: 200,
      body: '{"status":"Pulling"}\n{"errorDetail":{"message":"denied"},"error":"pull access denied for x"}\n',
    }));
    await expect(docker.pull("x")).rejects.toThrow("pull access denied for x");
    expect(fake?.requests[0]?.headers).not.toHaveProperty("x-registry-auth");
  });

  it("a non-2xx answer rejects with the daemon's message and status", async () => {
    const docker = await client(() => ({
      status: 409,
      body: { message: 'Conflict. The container name "/x" is already in use' },
    }));
    const err = await docker.create("x", { Image: "i" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ status: 409, message: expect.stringMatching(/already in use/) as unknown });
  });

  it("creates by name with a JSON body, starts, stops with a timeout, removes with force", async () => {
    const docker = await client((r) =>
      r.url.startsWith("/containers/create") ? { status: 201, body: { Id: "abc" } } : { status: 204 },
    );
    expect(await docker.create("inst-run", { Image: "img", Labels: { "dstack.run": "run" } })).toBe("abc");
    await docker.start("abc");
    await docker.stop("abc", 5);
    await docker.remove("abc");
    expect(fake?.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /containers/create?name=inst-run",
      "POST /containers/abc/start",
      "POST /containers/abc/stop?t=5",
      "DELETE /containers/abc?force=true",
    ]);
    expect(fake?.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(fake?.requests[0]?.body ?? "")).toEqual({
      Image: "img",
      Labels: { "dstack.run": "run" },
    });
  });

  it("inspect returns the state, or null for a vanished container; stop and remove tolerate 404", async () => {
    const docker = await client((r) =>
      r.url === "/containers/live/json"
        ? { status: 200, body: { Id: "live", State: { Running: false, ExitCode: 3, Error: "" } } }
        : { status: 404, body: { message: "No such container" } },
    );
    expect(await docker.inspect("live")).toEqual({ Running: false, ExitCode: 3, Error: "" });
    expect(await docker.inspect("gone")).toBeNull();
    await docker.stop("gone");
    await docker.remove("gone");
  });

  it("reads logs of both streams, demultiplexed in arrival order", async () => {
    const docker = await client(() => ({
      status: 200,
      body: Buffer.concat([frame(1, "out 1\n"), frame(2, "err\n"), frame(1, "out 2\n")]),
    }));
    expect((await docker.logs("c")).toString()).toBe("out 1\nerr\nout 2\n");
    expect(fake?.requests[0]?.url).toBe("/containers/c/logs?stdout=true&stderr=true");
  });

  it("lists runtimes from /info, creates labelled volumes, lists containers by label", async () => {
    const docker = await client((r) =>
      r.url === "/info"
        ? { status: 200, body: { Runtimes: { runc: {}, nvidia: { path: "nvidia-container-runtime" } } } }
        : r.url.startsWith("/containers/json")
          ? { status: 200, body: [{ Id: "a" }, { Id: "b" }] }
          : { status: 201, body: { Name: "v" } },
    );
    expect(await docker.runtimes()).toEqual(["runc", "nvidia"]);
    await docker.ensureVolume("v", { "dstack.managed": "true" });
    expect(await docker.listByLabel("dstack.instance=i")).toEqual(["a", "b"]);
    expect(JSON.parse(fake?.requests[1]?.body ?? "")).toEqual({
      Name: "v",
      Labels: { "dstack.managed": "true" },
    });
    const q = new URL(`http://x${fake?.requests[2]?.url ?? ""}`).searchParams;
    expect([q.get("all"), q.get("filters")]).toEqual(["true", '{"label":["dstack.instance=i"]}']);
  });
});

describe("demuxDockerLogs", () => {
  it("ignores a truncated trailing header", () => {
    expect(demuxDockerLogs(Buffer.concat([frame(1, "a"), Buffer.from([1, 0, 0])])).toString()).toBe("a");
  });
});
