// ~/.dstack/config.yml: which backends the user configured and their settings, read with positions so a
// problem is reported as FILE:LINE:COL. Only the settings listed in SETTINGS are read; anything else in
// the file (credentials included) is left alone and never echoed. `dstack doctor` reports what this
// finds; everything else reads the file through loadDstackConfig (load-config.ts), which refuses errors.
import { existsSync, readFileSync } from "node:fs";
import { DiagnosticBag, type Diagnostic, type Path } from "../compiler/diagnostics.js";
import { parseYamlSource } from "../compiler/source/yaml-source.js";
import { closest } from "../compiler/suggest.js";
import { isRecord, readLocalFaults, readZones, type LocalFaults } from "./local-backend-config.js";
import { configFile } from "./paths.js";

export const BACKEND_TYPES = ["aws", "gcp", "azure", "local"] as const;
export type BackendType = (typeof BACKEND_TYPES)[number];
export type { LocalFaults } from "./local-backend-config.js";

export interface ConfiguredBackend {
  type: BackendType;
  regions: string[];
  project?: string;
  subscriptionId?: string;
  vpcName?: string;
  /** aws: a VPC id (the default VPC when absent). */
  vpcId?: string;
  /** aws subnet ids / gcp subnetwork names. */
  subnetIds?: string[];
  /** azure: an existing resource group for the pools (one is created per pool when absent). */
  resourceGroup?: string;
  /** local: the simulated availability zones of this machine. */
  zones?: string[];
  /** local: injected capacity faults, a testing aid (see README). */
  faults?: LocalFaults;
}

export interface DstackConfig {
  file: string;
  present: boolean;
  backends: ConfiguredBackend[];
  /** `state: {backend: URL}`: the Pulumi backend the team shares (stacks and dstack's records). */
  stateBackend?: string;
  diagnostics: Diagnostic[];
}

const STATE_SCHEMES = ["file://", "s3://", "gs://", "azblob://", "https://", "http://"];

/** `state: {backend: URL}`; problems at the key. */
function stateBackendOf(bag: DiagnosticBag, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const backend = isRecord(value) ? value.backend : undefined;
  if (!isRecord(value) || typeof backend !== "string" || backend === "") {
    bag.error({
      code: "invalid-value",
      path: ["state"],
      message: "expected `state: {backend: URL}`",
      hint: "e.g. `state: {backend: s3://my-bucket/dstack}`, or a shared folder `file:///mnt/team/dstack`",
    });
    return undefined;
  }
  if (!STATE_SCHEMES.some((s) => backend.startsWith(s))) {
    bag.error({
      code: "invalid-value",
      path: ["state", "backend"],
      message: `${JSON.stringify(backend)} is not a Pulumi backend URL`,
      hint: `start it with one of ${STATE_SCHEMES.join(", ")}`,
    });
    return undefined;
  }
  for (const key of Object.keys(value).filter((k) => k !== "backend"))
    bag.warning({ code: "unknown-key", path: ["state", key], message: "unknown key", atKey: true });
  return backend;
}

/** Reads one setting's value into the backend; reports problems at `path` (the setting's own). */
type Reader = (bag: DiagnosticBag, value: unknown, path: Path, backend: ConfiguredBackend) => void;

interface Setting {
  /** The backend types the setting means something for; any other type gets an "ignored" warning. */
  applies: readonly BackendType[];
  read: Reader;
}

const CLOUDS = ["aws", "gcp", "azure"] as const;

function optionalString(set: (b: ConfiguredBackend, value: string) => void): Reader {
  return (bag, value, path, backend) => {
    if (value === undefined || value === null) return;
    if (typeof value === "string" && value !== "") set(backend, value);
    else bag.error({ code: "invalid-value", path, message: `expected a non-empty string` });
  };
}

function regionsOf(bag: DiagnosticBag, value: unknown, path: Path): string[] {
  if (value === undefined || value === null) return [];
  const list: unknown[] | undefined = Array.isArray(value) ? value : undefined;
  if (list?.every((r): r is string => typeof r === "string") === true) return list;
  bag.error({
    code: "invalid-value",
    path,
    message: "expected a list of region names",
    hint: "write `regions: [us-east-1, us-west-2]`",
  });
  return [];
}

/**
 * Every key a backend entry may have, besides `type`. A new setting is one row here (and a field of
 * ConfiguredBackend); its reader validates the value and reports with the file position.
 */
const SETTINGS: Record<string, Setting> = {
  regions: { applies: CLOUDS, read: (bag, v, path, b) => (b.regions = regionsOf(bag, v, path)) },
  project: { applies: ["gcp"], read: optionalString((b, v) => (b.project = v)) },
  subscription_id: { applies: ["azure"], read: optionalString((b, v) => (b.subscriptionId = v)) },
  vpc_name: { applies: ["aws", "gcp"], read: optionalString((b, v) => (b.vpcName = v)) },
  vpc_id: { applies: ["aws"], read: optionalString((b, v) => (b.vpcId = v)) },
  subnet_ids: {
    applies: ["aws", "gcp"],
    read: (bag, v, path, b) => {
      if (v === undefined || v === null) return;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && x !== ""))
        b.subnetIds = v as string[];
      else
        bag.error({
          code: "invalid-value",
          path,
          message: "expected a list of subnet ids",
          hint: "write `subnet_ids: [subnet-0abc, subnet-0def]`",
        });
    },
  },
  resource_group: { applies: ["azure"], read: optionalString((b, v) => (b.resourceGroup = v)) },
  // Credentials stay where they are: never read, never shown.
  creds: { applies: CLOUDS, read: () => undefined },
  zones: {
    applies: ["local"],
    read: (bag, v, path, b) => {
      const zones = readZones(bag, v, path);
      if (zones !== undefined) b.zones = zones;
    },
  },
  // Read after `zones` (key order below), since the faults name zones.
  faults: {
    applies: ["local"],
    read: (bag, v, path, b) => {
      const faults = readLocalFaults(bag, v, path, b.zones);
      if (faults !== undefined) b.faults = faults;
    },
  },
};
const KEYS = ["type", ...Object.keys(SETTINGS)];

function backendOf(bag: DiagnosticBag, entry: unknown, path: Path): ConfiguredBackend | undefined {
  if (!isRecord(entry)) {
    bag.error({
      code: "invalid-value",
      path,
      message: "expected a mapping like `{type: aws, regions: [...]}`",
    });
    return undefined;
  }
  for (const key of Object.keys(entry).filter((k) => !KEYS.includes(k))) {
    const near = closest(key, KEYS);
    if (near !== undefined)
      bag.warning({
        code: "unknown-key",
        path: [...path, key],
        message: `unknown key`,
        hint: `did you mean "${near}"?`,
        atKey: true,
      });
  }
  const type = entry.type;
  if (typeof type !== "string" || !(BACKEND_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === "string" ? closest(type, BACKEND_TYPES) : undefined;
    bag.error({
      code: type === undefined ? "missing-key" : "invalid-value",
      path: type === undefined ? path : [...path, "type"],
      message: type === undefined ? "`type` is required" : `unknown backend type ${JSON.stringify(type)}`,
      hint: near !== undefined ? `did you mean "${near}"?` : `one of ${BACKEND_TYPES.join(", ")}`,
    });
    return undefined;
  }
  const backend: ConfiguredBackend = { type: type as BackendType, regions: [] };
  for (const [key, setting] of Object.entries(SETTINGS)) {
    if (entry[key] === undefined) continue;
    if (setting.applies.includes(backend.type)) setting.read(bag, entry[key], [...path, key], backend);
    else
      bag.warning({
        code: "ignored-key",
        path: [...path, key],
        message: `does not apply to a ${backend.type} backend (only ${setting.applies.join(", ")}) and is ignored`,
        atKey: true,
      });
  }
  return backend;
}

/** Parses and checks the text of a config.yml (pure). */
export function parseDstackConfig(text: string, file: string): DstackConfig {
  const source = parseYamlSource(text, file);
  const bag = new DiagnosticBag(source.locator);
  bag.items.push(...source.diagnostics);
  const backends: ConfiguredBackend[] = [];
  const data = source.data;
  if (source.diagnostics.some((d) => d.severity === "error") || data === undefined || data === null) {
    return { file, present: true, backends, diagnostics: bag.items };
  }
  let stateBackend: string | undefined;
  if (isRecord(data)) stateBackend = stateBackendOf(bag, data.state);
  if (!isRecord(data)) {
    bag.error({ code: "invalid-value", path: [], message: "expected a mapping with a `backends` list" });
  } else if (data.backends !== undefined && data.backends !== null) {
    if (!Array.isArray(data.backends)) {
      bag.error({ code: "invalid-value", path: ["backends"], message: "expected a list of backends" });
    } else {
      data.backends.forEach((entry: unknown, i) => {
        const backend = backendOf(bag, entry, ["backends", i]);
        if (backend === undefined) return;
        if (backends.some((b) => b.type === backend.type))
          bag.warning({
            code: "duplicate",
            path: ["backends", i, "type"],
            message: `a second ${backend.type} backend; the first one is used`,
          });
        else backends.push(backend);
      });
    }
  }
  return {
    file,
    present: true,
    backends,
    ...(stateBackend === undefined ? {} : { stateBackend }),
    diagnostics: bag.items,
  };
}

/** Reads ~/.dstack/config.yml under the given home; absent is not a problem. */
export function readDstackConfig(home: string): DstackConfig {
  const file = configFile(home);
  if (!existsSync(file)) return { file, present: false, backends: [], diagnostics: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file,
      present: true,
      backends: [],
      diagnostics: [
        {
          severity: "error",
          code: "unreadable",
          path: "",
          message: `cannot read it: ${message}`,
          position: { file, line: 0, col: 0 },
        },
      ],
    };
  }
  return parseDstackConfig(text, file);
}
