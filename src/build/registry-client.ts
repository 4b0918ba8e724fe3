// A minimal client of the Registry HTTP API v2 (the OCI distribution API), enough to find, list and
// delete prebuilt environment images (issue 14): Node's fetch, no dependency. The local registry of
// scripts/ensure-registry has no auth; a cloud's takes short-lived credentials (Basic, and the Bearer
// token flow of registry-challenge.ts when the registry asks for it). An unreachable registry or an answer we cannot use is a
// UserError naming the URL; a missing repository or tag is `undefined` / an empty list, not an error.
import { createHash } from "node:crypto";
import { UserError } from "../errors.js";
import {
  basicHeader,
  fetchBearerToken,
  parseBearerChallenge,
  type BasicCredentials,
} from "./registry-challenge.js";

/** Where scripts/ensure-registry serves: 127.0.0.1:${DSTACK_REGISTRY_PORT:-5000} (an image reference's host). */
export function localRegistryAddress(env: NodeJS.ProcessEnv = process.env): string {
  return `127.0.0.1:${env.DSTACK_REGISTRY_PORT || "5000"}`;
}

export interface ImageManifest {
  /** The digest the tag points to (`sha256:...`): what `docker pull REPO@DIGEST` takes. */
  digest: string;
  mediaType: string;
  /** Compressed bytes to pull: the config blob and every layer. */
  size: number;
  /** When the image was made (its config's `created`), if it says. */
  created: Date | undefined;
  labels: Record<string, string>;
}

const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const ACCEPT = [MANIFEST, OCI_MANIFEST, MANIFEST_LIST, OCI_INDEX].join(", ");

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string };
}
interface ImageConfig {
  created?: string;
  config?: { Labels?: Record<string, string> | null };
}
interface ManifestBody {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export class RegistryClient {
  /** e.g. `http://127.0.0.1:5000`. */
  readonly url: string;

  constructor(
    /** host:port, or a URL with its scheme (http:// is assumed for a bare host:port). */
    address: string,
    private readonly options: { timeoutMs?: number; platform?: string; auth?: BasicCredentials } = {},
  ) {
    this.url = (/^https?:\/\//.test(address) ? address : `${schemeOf(address)}://${address}`).replace(
      /\/+$/,
      "",
    );
  }

  /** The last Bearer token the registry's token service gave (it covers the scope asked; a 401 asks again). */
  private bearer: string | undefined;

  /** Resolves when the registry answers the API version check; else a UserError saying how to start it. */
  async ping(): Promise<void> {
    const res = await this.request("GET", "/v2/");
    if (res.status !== 200) throw await this.unexpected("GET /v2/", res);
  }

  /** The image a tag names, or undefined when the repository or the tag does not exist. */
  async manifest(repo: string, tag: string): Promise<ImageManifest | undefined> {
    checkName(repo, tag);
    const res = await this.request("GET", `/v2/${repo}/manifests/${tag}`, { accept: ACCEPT });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await this.unexpected(`GET manifest ${repo}:${tag}`, res);
    const raw = Buffer.from(await res.arrayBuffer());
    const digest = res.headers.get("docker-content-digest") ?? `sha256:${sha256(raw)}`;
    let body = JSON.parse(raw.toString("utf8")) as ManifestBody;
    let mediaType = body.mediaType ?? res.headers.get("content-type") ?? MANIFEST;
    if (body.manifests !== undefined) {
      // A multi-platform index: describe this platform's image (the tag's digest stays the index's).
      const chosen = this.pickPlatform(body.manifests);
      if (chosen === undefined) throw this.error(`${repo}:${tag} has no image for ${this.platform()}`);
      const one = await this.request("GET", `/v2/${repo}/manifests/${chosen.digest}`, { accept: ACCEPT });
      if (one.status !== 200) throw await this.unexpected(`GET manifest ${repo}@${chosen.digest}`, one);
      body = (await one.json()) as ManifestBody;
      mediaType = body.mediaType ?? chosen.mediaType ?? mediaType;
    }
    const size = (body.config?.size ?? 0) + (body.layers ?? []).reduce((sum, l) => sum + l.size, 0);
    const config = body.config === undefined ? undefined : await this.imageConfig(repo, body.config.digest);
    const created = config?.created === undefined ? undefined : new Date(config.created);
    return { digest, mediaType, size, created, labels: config?.config?.Labels ?? {} };
  }

  /** The repository's tags, sorted; empty when the repository does not exist or has none left. */
  async tags(repo: string): Promise<string[]> {
    checkName(repo);
    const pages = await this.pages<{ tags?: string[] | null }>(`/v2/${repo}/tags/list`, `tags of ${repo}`);
    return pages.flatMap((p) => p.tags ?? []).sort();
  }

  /** Every repository the registry holds (including those whose tags were all deleted). */
  async catalog(): Promise<string[]> {
    const pages = await this.pages<{ repositories?: string[] }>("/v2/_catalog", "the catalog");
    return pages.flatMap((p) => p.repositories ?? []);
  }

  /**
   * Deletes the image a tag names (the manifest, by digest: other tags on the same digest go too); false
   * when there was no such tag. The blobs stay until `docker-registry garbage-collect` runs.
   */
  async deleteTag(repo: string, tag: string): Promise<boolean> {
    checkName(repo, tag);
    const head = await this.request("HEAD", `/v2/${repo}/manifests/${tag}`, { accept: ACCEPT });
    if (head.status === 404) return false;
    const digest = head.headers.get("docker-content-digest");
    if (head.status !== 200 || digest === null)
      throw await this.unexpected(`HEAD manifest ${repo}:${tag}`, head);
    const res = await this.request("DELETE", `/v2/${repo}/manifests/${digest}`);
    if (res.status === 202 || res.status === 200) return true;
    if (res.status === 404) return false;
    if (res.status === 405)
      throw this.error(
        `the registry refuses to delete ${repo}:${tag} (HTTP 405: deletes are disabled)`,
        "its configuration needs storage.delete.enabled: true (scripts/ensure-registry sets it)",
      );
    throw await this.unexpected(`DELETE manifest ${repo}@${digest}`, res);
  }

  /** The image config blob: when it was made, and its labels. */
  private async imageConfig(repo: string, digest: string): Promise<ImageConfig> {
    const res = await this.request("GET", `/v2/${repo}/blobs/${digest}`);
    if (res.status !== 200) throw await this.unexpected(`GET config blob ${repo}@${digest}`, res);
    return (await res.json()) as ImageConfig;
  }

  /** GETs a paginated list, following `Link: <...>; rel="next"`; a 404 (no such repository) is no page. */
  private async pages<T>(path: string, what: string): Promise<T[]> {
    const out: T[] = [];
    for (let next: string | undefined = path; next !== undefined;) {
      const res = await this.request("GET", next);
      if (res.status === 404) break;
      if (res.status !== 200) throw await this.unexpected(`GET ${what}`, res);
      out.push((await res.json()) as T);
      next = /<([^>]+)>;\s*rel="?next"?/.exec(res.headers.get("link") ?? "")?.[1];
    }
    return out;
  }

  private platform(): string {
    return this.options.platform ?? "linux/amd64";
  }

  private pickPlatform(manifests: Descriptor[]): Descriptor | undefined {
    const [os, architecture] = this.platform().split("/");
    return manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture);
  }

  /** One request, with the credentials the registry asks for (Basic first, then its Bearer flow). */
  private async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const auth = this.options.auth;
    if (auth === undefined) return this.send(method, path, headers);
    const first = await this.send(method, path, {
      ...headers,
      authorization: this.bearer === undefined ? basicHeader(auth) : `Bearer ${this.bearer}`,
    });
    const challenge =
      first.status === 401 ? parseBearerChallenge(first.headers.get("www-authenticate")) : undefined;
    if (challenge === undefined) return first;
    this.bearer = await fetchBearerToken(challenge, auth, this.options.timeoutMs ?? 15_000);
    return this.send(method, path, { ...headers, authorization: `Bearer ${this.bearer}` });
  }

  private async send(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw this.error(`no registry answers on ${this.url} (${method} ${path}: ${why})`, this.startHint());
    }
  }

  private async unexpected(what: string, res: Response): Promise<UserError> {
    const text = await res.text().catch(() => ""); // empty for HEAD
    let detail = text.trim().slice(0, 300);
    try {
      const first = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
      if (first !== undefined) detail = `${first.code ?? ""}: ${first.message ?? ""}`;
    } catch {
      // not JSON: keep the text
    }
    return this.error(
      `the registry on ${this.url} answered ${what} with HTTP ${res.status}${detail === "" ? "" : ` (${detail})`}`,
      res.status === 401 || res.status === 403
        ? this.options.auth === undefined
          ? "it asks for credentials, which this client does not send"
          : "the credentials dstack got from the cloud were refused: check that yours may read and write the registry"
        : undefined,
    );
  }

  private error(message: string, hint?: string): UserError {
    return new UserError("registry", message, hint);
  }

  private startHint(): string {
    const host = new URL(this.url).hostname;
    return host === "127.0.0.1" || host === "localhost"
      ? "start the local registry with ./scripts/ensure-registry"
      : "check that the registry's address is right and reachable from this machine";
  }
}

/** Plain HTTP for a registry on this machine (as Docker allows), HTTPS for any other. */
function schemeOf(address: string): "http" | "https" {
  const host = address.replace(/:\d+$/, "");
  return host === "localhost" || /^127\./.test(host) ? "http" : "https";
}

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

function checkName(repo: string, tag?: string): void {
  if (!REPO.test(repo))
    throw new UserError(
      "registry",
      `"${repo}" is not a valid repository name`,
      "use lowercase letters, digits and . _ - separated by /",
    );
  if (tag !== undefined && !TAG.test(tag))
    throw new UserError(
      "registry",
      `"${tag}" is not a valid tag`,
      "use letters, digits, _ . - (at most 128)",
    );
}
