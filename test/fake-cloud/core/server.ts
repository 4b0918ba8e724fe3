// The plugin's gRPC service: the engine's ResourceProvider protocol, served from the SDK's generated
// protobuf stubs (@pulumi/pulumi/proto) onto FakeCloudProvider. It is not @pulumi/pulumi/provider's
// `main`, because that server drops the provider configuration in Configure, never announces preview
// support and cannot return detailed diffs; see SPEC.md "Protocol".
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb.js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb.js";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb.js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb.js";
import type { CheckFailure } from "./check-kit.js";
import type { CheckOutcome, DetailedDiffResult, DiffKind, FakeCloudProvider } from "./provider.js";
import { clean, type JsonObject } from "./values.js";

type Struct = structproto.Struct;

function toJs(struct: Struct | undefined): JsonObject {
  return struct?.toJavaScript() ?? {};
}

function toStruct(value: unknown): Struct {
  return structproto.Struct.fromJavaScript(clean((value ?? {}) as JsonObject));
}

function failureList(failures: readonly CheckFailure[]): provproto.CheckFailure[] {
  return failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason));
}

const KINDS: Record<DiffKind, provproto.PropertyDiff.Kind> = {
  add: provproto.PropertyDiff.Kind.ADD,
  "add-replace": provproto.PropertyDiff.Kind.ADD_REPLACE,
  delete: provproto.PropertyDiff.Kind.DELETE,
  "delete-replace": provproto.PropertyDiff.Kind.DELETE_REPLACE,
  update: provproto.PropertyDiff.Kind.UPDATE,
  "update-replace": provproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

function checkResponse(out: CheckOutcome): provproto.CheckResponse {
  return new provproto.CheckResponse()
    .setInputs(toStruct(out.inputs))
    .setFailuresList(failureList(out.failures));
}

function diffResponse(d: DetailedDiffResult): provproto.DiffResponse {
  const resp = new provproto.DiffResponse()
    .setChanges(
      d.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE,
    )
    .setReplacesList(d.replaces)
    .setDiffsList(d.diffs)
    .setDeletebeforereplace(d.deleteBeforeReplace)
    .setHasdetaileddiff(true);
  const map = resp.getDetaileddiffMap();
  for (const [path, kind] of Object.entries(d.detailedDiff))
    map.set(path, new provproto.PropertyDiff().setKind(KINDS[kind]).setInputdiff(true));
  return resp;
}

/** A unary handler: the promise's value answers; a rejection answers with its message (code UNKNOWN). */
function unary<Req, Res>(fn: (req: Req) => Promise<Res> | Res): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          callback({ code: grpc.status.UNKNOWN, details: message, message }, null);
        },
      );
  };
}

/** `<pkg>:<key>` stack config variables -> `{key: value}` (used when Configure carries no args). */
function variables(req: provproto.ConfigureRequest, pkg: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of req.getVariablesMap().entries())
    out[key.replace(`${pkg}:config:`, "").replace(`${pkg}:`, "")] = value;
  return out;
}

export function service<C>(provider: FakeCloudProvider<C>): Partial<provrpc.IResourceProviderServer> {
  const pkg = provider.model.pkg;
  return {
    getPluginInfo: unary(() => new plugproto.PluginInfo().setVersion(provider.version)),
    getSchema: unary(() => new provproto.GetSchemaResponse().setSchema("{}")),
    attach: unary(() => new emptyproto.Empty()),
    cancel: unary(async () => {
      await provider.cancel();
      return new emptyproto.Empty();
    }),
    checkConfig: unary(async (req) =>
      checkResponse(await provider.checkConfig(req.getUrn(), toJs(req.getOlds()), toJs(req.getNews()))),
    ),
    diffConfig: unary(async (req) =>
      diffResponse(await provider.diffConfig(toJs(req.getOldInputs() ?? req.getOlds()), toJs(req.getNews()))),
    ),
    configure: unary((req) => {
      const args = toJs(req.getArgs());
      provider.configure(Object.keys(args).length > 0 ? args : variables(req, pkg));
      return new provproto.ConfigureResponse()
        .setAcceptsecrets(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false)
        .setSupportspreview(true);
    }),
    check: unary(async (req) =>
      checkResponse(
        await provider.check(
          req.getUrn(),
          toJs(req.getOlds()),
          toJs(req.getNews()),
          req.getRandomseed_asB64(),
        ),
      ),
    ),
    diff: unary(async (req) =>
      diffResponse(
        await provider.diff(
          req.getId(),
          req.getUrn(),
          toJs(req.getOlds()),
          toJs(req.getNews()),
          toJs(req.getOldInputs()),
        ),
      ),
    ),
    create: unary(async (req) => {
      const res = await provider.create(req.getUrn(), toJs(req.getProperties()), req.getPreview());
      return new provproto.CreateResponse().setId(res.id).setProperties(toStruct(res.outs));
    }),
    read: unary(async (req) => {
      const res = await provider.read(req.getId(), req.getUrn());
      const resp = new provproto.ReadResponse().setId(res.id ?? "");
      if (res.id !== undefined) resp.setProperties(toStruct(res.props)).setInputs(toStruct(res.inputs));
      return resp;
    }),
    update: unary(async (req) => {
      const res = await provider.update(
        req.getId(),
        req.getUrn(),
        toJs(req.getOlds()),
        toJs(req.getNews()),
        req.getPreview(),
      );
      return new provproto.UpdateResponse().setProperties(toStruct(res.outs));
    }),
    delete: unary(async (req) => {
      await provider.delete(req.getId(), req.getUrn());
      return new emptyproto.Empty();
    }),
    invoke: unary(async (req) => {
      const res = await provider.invoke(req.getTok(), toJs(req.getArgs()));
      return new provproto.InvokeResponse().setReturn(toStruct(res.outputs));
    }),
  };
}

/** Starts the gRPC server on a free loopback port and prints the port, as the engine expects. */
export async function serve<C>(provider: FakeCloudProvider<C>): Promise<grpc.Server> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(provrpc.ResourceProviderService, service(provider) as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  process.stdout.write(`${port}\n`);
  return server;
}
