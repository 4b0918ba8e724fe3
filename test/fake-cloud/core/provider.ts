// The fake provider: the engine's resource operations run against a cloud model and the shared store.
// It implements @pulumi/pulumi/provider's `Provider` interface, extended with what that SDK's own
// server never forwards (provider configuration, preview, detailed diffs); server.ts serves it.
import type * as sdk from "@pulumi/pulumi/provider/provider.js";
import { bootCreated, imageReady } from "../boot/boot-created.js";
import { containerRunning, removeContainer } from "../boot/container.js";
import { allocateAddress, releaseAddresses } from "../boot/loopback.js";
import { bootOptions, containerName, type BootOptions } from "../boot/options.js";
import { Checker } from "./check-kit.js";
import { diffInputs } from "./diff.js";
import { autoName, uuidOf } from "./hash.js";
import { injectFault } from "./inject.js";
import { CloudError, type BootSpec, type CloudModel, type Ctx, type ResourceKind } from "./kind.js";
import {
  DIR_ENV,
  diffResult,
  parseUrn,
  settle,
  type CheckOutcome,
  type DetailedDiffResult,
} from "./protocol.js";
import { Store, type StoredResource } from "./store.js";
import { arr, deepEqual, isObject, withoutMeta, type JsonObject } from "./values.js";

export { DIR_ENV, parseUrn, type CheckOutcome, type DetailedDiffResult, type DiffKind } from "./protocol.js";

function defaultsOf(inputs: JsonObject): string[] {
  return (arr(inputs.__defaults) ?? []).filter((v): v is string => typeof v === "string");
}

export class FakeCloudProvider<C> implements sdk.Provider {
  readonly version: string;
  private config: C | undefined;
  private store: Store | undefined;
  /** Set when instance creates boot containers (DSTACK_FAKE_CLOUD_BOOT=1). */
  private boot: BootOptions | undefined;
  private readonly abort = new AbortController();

  constructor(
    readonly model: CloudModel<C>,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.version = model.version;
  }

  private get prefix(): string {
    return `fake-cloud (${this.model.pkg})`;
  }

  checkConfig(_urn: string, _olds: JsonObject, news: JsonObject): Promise<CheckOutcome> {
    return settle(() => ({ inputs: news, failures: this.model.checkConfig(news, this.env) }));
  }

  diffConfig(olds: JsonObject, news: JsonObject): Promise<DetailedDiffResult> {
    const strip = (o: JsonObject): JsonObject =>
      withoutMeta(Object.fromEntries(Object.entries(o).filter(([k]) => k !== "version")));
    return settle(() => diffResult(diffInputs(strip(olds), strip(news), this.model.configReplaceOn), false));
  }

  configure(values: JsonObject): void {
    const dir = this.env[DIR_ENV];
    if (dir === undefined || dir === "")
      throw new Error(
        `${this.prefix}: ${DIR_ENV} is not set; it names the directory holding the fake cloud's state (see test/fake-cloud/SPEC.md)`,
      );
    this.store = new Store(dir);
    this.boot = bootOptions(this.env);
    this.config = this.model.configure(values, this.env);
  }

  private ready(): { store: Store; config: C } {
    if (this.store === undefined || this.config === undefined)
      throw new Error(`${this.prefix}: the provider was used before Configure`);
    return { store: this.store, config: this.config };
  }

  private kind(urn: string): ResourceKind<C> {
    const { type } = parseUrn(urn);
    const kind = this.model.kinds.find((k) => k.type === type);
    if (kind === undefined)
      throw new Error(
        `${this.prefix}: resource type "${type}" is not modelled; the fake models ${this.model.kinds.map((k) => k.type).join(", ")}`,
      );
    return kind;
  }

  private ctx(urn: string, resources: Record<string, StoredResource>): Ctx<C> {
    return { config: this.ready().config, resources, logicalName: parseUrn(urn).name };
  }

  check(urn: string, olds: JsonObject, news: JsonObject, randomSeed = ""): Promise<CheckOutcome> {
    return settle(() => this.checkNow(urn, olds, news, randomSeed));
  }

  private checkNow(urn: string, olds: JsonObject, news: JsonObject, randomSeed: string): CheckOutcome {
    const kind = this.kind(urn);
    const inputs: JsonObject = { ...news };
    const prop = kind.nameProperty;
    if (prop !== undefined && (inputs[prop] === undefined || inputs[prop] === null)) {
      const old = olds[prop];
      const reuse = defaultsOf(olds).includes(prop) && typeof old === "string";
      const named = kind.autoName ?? autoName;
      inputs[prop] = reuse ? old : named(parseUrn(urn).name, `${urn}:${randomSeed}`);
      inputs.__defaults = [...new Set([...defaultsOf(news), prop])];
    }
    const checker = new Checker(withoutMeta(inputs));
    kind.check(checker, this.ready().config);
    return { inputs, failures: checker.failures };
  }

  diff(
    _id: string,
    urn: string,
    olds: JsonObject,
    news: JsonObject,
    oldInputs?: JsonObject,
  ): Promise<DetailedDiffResult> {
    return settle(() => {
      const kind = this.kind(urn);
      const base = oldInputs !== undefined && Object.keys(oldInputs).length > 0 ? oldInputs : olds;
      const named = kind.nameProperty !== undefined && !defaultsOf(news).includes(kind.nameProperty);
      const rules = [...kind.replaceOn, ...(kind.replaceIf?.(withoutMeta(base), withoutMeta(news)) ?? [])];
      return diffResult(diffInputs(base, news, rules), named);
    });
  }

  async create(urn: string, inputs: JsonObject, preview = false): Promise<sdk.CreateResult> {
    const kind = this.kind(urn);
    const { store } = this.ready();
    const clean = withoutMeta(inputs);
    const cloud = this.model.cloud;
    if (preview)
      return { id: "", outs: kind.render(clean, null, this.ctx(urn, store.read().clouds[cloud].resources)) };
    const subject = kind.faultSubject?.(clean, this.ctx(urn, store.read().clouds[cloud].resources));
    if (subject !== undefined) await injectFault(this.model, store, subject, urn, this.abort.signal);
    const boot = kind.boot === undefined ? undefined : this.boot;
    if (boot !== undefined) await imageReady(boot, this.prefix, this.abort.signal);
    const created = store.transact((data) => {
      const resources = data.clouds[cloud].resources;
      const ctx = this.ctx(urn, resources);
      const serial = ++data.meta.counter;
      const id = kind.id(clean, serial, ctx);
      if (resources[id] !== undefined)
        throw new CloudError(this.model.alreadyExists(kind.type, id, uuidOf(`exists:${id}:${serial}`)));
      kind.beforeCreate?.(clean, id, ctx);
      const address =
        this.boot !== undefined && kind.publicAddress?.(clean) === true
          ? allocateAddress(data, store.dir, id)
          : undefined;
      const outputs = kind.render(clean, { id, serial, address }, ctx);
      const container = boot === undefined ? undefined : containerName(store.dir, cloud, serial);
      resources[id] = {
        type: kind.type,
        id,
        urn,
        inputs,
        outputs,
        serial,
        createdAt: new Date().toISOString(),
        ...(container === undefined ? {} : { container }),
      };
      const spec: BootSpec | undefined =
        container === undefined ? undefined : kind.boot?.(clean, id, outputs, ctx);
      const owner = spec?.addressOwner;
      const reached = owner ? (data.meta.addresses?.[owner] ?? null) : null;
      const booting = container !== undefined && spec !== undefined;
      return {
        id,
        outs: outputs,
        instance: booting ? { id, serial, container, spec, address: reached } : undefined,
      };
    });
    if (boot !== undefined && created.instance !== undefined)
      await bootCreated(store, cloud, created.instance, boot, this.prefix, this.abort.signal);
    return { id: created.id, outs: created.outs };
  }

  read(id: string, urn: string): Promise<sdk.ReadResult> {
    return settle(() => {
      const kind = this.kind(urn);
      const res = this.ready().store.read().clouds[this.model.cloud].resources[id];
      if (res === undefined) return {};
      const after = this.afterPowerOff(kind, res, urn);
      if (after === "terminated") return {};
      return { id, props: after ?? res.outputs, inputs: res.inputs };
    });
  }

  /**
   * A guest power-off is seen when the instance is next read (the fake runs only while the engine does):
   * the cloud then terminates the instance (record, container and address go) or marks it stopped.
   * Undefined when nothing changed.
   */
  private afterPowerOff(
    kind: ResourceKind<C>,
    res: StoredResource,
    urn: string,
  ): "terminated" | JsonObject | undefined {
    if (res.container === undefined || kind.poweredOff === undefined || containerRunning(res.container))
      return undefined;
    const after = kind.poweredOff(res);
    const { store } = this.ready();
    if (after === "terminated") {
      removeContainer(store.dir, res.container);
      store.transact((data) => {
        // What the cloud deletes with a terminated instance (AWS: its volume attachments) goes too.
        const resources = data.clouds[this.model.cloud].resources;
        const along = kind.cascade?.(res, this.ctx(urn, resources)) ?? [];
        for (const other of [res.id, ...along]) delete resources[other];
        releaseAddresses(data, store.dir, [res.id, ...along]);
      });
      return after;
    }
    store.transact((data) => {
      const current = data.clouds[this.model.cloud].resources[res.id];
      if (current !== undefined) current.outputs = after;
    });
    return after;
  }

  update(
    id: string,
    urn: string,
    _olds: JsonObject,
    news: JsonObject,
    preview = false,
  ): Promise<sdk.UpdateResult> {
    return settle(() => this.updateNow(id, urn, news, preview));
  }

  private updateNow(id: string, urn: string, news: JsonObject, preview: boolean): sdk.UpdateResult {
    const kind = this.kind(urn);
    const { store } = this.ready();
    const clean = withoutMeta(news);
    const cloud = this.model.cloud;
    if (preview) {
      const resources = store.read().clouds[cloud].resources;
      const old = resources[id];
      const address = store.read().meta.addresses?.[id];
      return {
        outs: kind.render(
          clean,
          old === undefined ? null : { id, serial: old.serial, address },
          this.ctx(urn, resources),
        ),
      };
    }
    return store.transact((data) => {
      const resources = data.clouds[cloud].resources;
      const ctx = this.ctx(urn, resources);
      const old = resources[id];
      if (old === undefined)
        throw new CloudError(`${this.prefix}: cannot update ${id}: it no longer exists in the fake cloud`);
      kind.beforeUpdate?.(old, clean, ctx);
      const outputs = kind.render(clean, { id, serial: old.serial, address: data.meta.addresses?.[id] }, ctx);
      if (!deepEqual(outputs, old.outputs) || !deepEqual(news, old.inputs))
        resources[id] = { ...old, inputs: news, outputs, updatedAt: new Date().toISOString() };
      return { outs: outputs };
    });
  }

  delete(id: string, urn: string): Promise<void> {
    return settle(() => this.deleteNow(id, urn));
  }

  private deleteNow(id: string, urn: string): void {
    const kind = this.kind(urn);
    const { store } = this.ready();
    // A booted instance's container goes first: while it cannot be removed, the resource stays.
    const container = store.read().clouds[this.model.cloud].resources[id]?.container;
    if (container !== undefined) removeContainer(store.dir, container);
    store.transact((data) => {
      const resources = data.clouds[this.model.cloud].resources;
      const res = resources[id];
      if (res === undefined) return; // already gone: deleting succeeds, as with the real providers
      const ctx = this.ctx(urn, resources);
      kind.beforeDelete?.(res, ctx);
      const along = kind.cascade?.(res, ctx) ?? [];
      for (const other of along) delete resources[other];
      delete resources[id];
      releaseAddresses(data, store.dir, [id, ...along]);
    });
  }

  invoke(token: string, args: JsonObject): Promise<sdk.InvokeResult> {
    return settle(() => {
      const fn = this.model.invokes[token];
      if (fn === undefined)
        throw new Error(
          `${this.prefix}: invoke "${token}" is not modelled; the fake models ${Object.keys(this.model.invokes).join(", ") || "no invokes"}`,
        );
      const { store, config } = this.ready();
      const resources = store.read().clouds[this.model.cloud].resources;
      return { outputs: fn(isObject(args) ? args : {}, config, resources) };
    });
  }

  cancel(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }
}
