// What dstack remembers of each cloud registry it created (one per backend and region, issue 14): the
// stack that holds it and what that stack exported (host, repository, the instances' identity), so
// finding a prebuilt image asks the registries without running Pulumi. No credential is ever kept here;
// they are asked of the cloud each time (registry-credentials.ts).
import { z } from "zod";
import { recordStore } from "../home/record-stores.js";
import { isoTime } from "../home/record-fields.js";
import type { RecordKind, RecordStore } from "../home/record-store.js";

const registryRecord = z.object({
  backend: z.enum(["aws", "gcp", "azure"]),
  region: z.string(),
  /** The registry host (`<account>.dkr.ecr.<region>.amazonaws.com`, `<region>-docker.pkg.dev`). */
  registry: z.string(),
  /** Where prebuilt images go, without tag: images are `<repository>:<key>`. */
  repository: z.string(),
  instance_identity: z.record(z.string(), z.string()),
  stack: z.object({ project: z.string(), stack: z.string(), backend_url: z.string() }),
  created_at: isoTime,
});
export type RegistryRecord = z.infer<typeof registryRecord>;

const keyOf = (backend: string, region: string): string => `${backend}-${region}`;

export const REGISTRY_KIND: RecordKind<RegistryRecord> = {
  noun: "registry",
  version: 1,
  schema: registryRecord,
  key: (r) => keyOf(r.backend, r.region),
  order: (a, b) => keyOf(a.backend, a.region).localeCompare(keyOf(b.backend, b.region)),
  whenRemoved: "dstack forgets the registry, not its images: its stack and repository stay",
};

const store = (home: string): RecordStore<RegistryRecord> => recordStore(REGISTRY_KIND, home, "registries");

export const readRegistry = (home: string, backend: string, region: string): RegistryRecord | undefined =>
  store(home).get(keyOf(backend, region));
export const writeRegistry = (home: string, record: RegistryRecord): void => store(home).put(record);
export const listRegistries = (home: string): RegistryRecord[] => store(home).list().records;
