// A stand-in for Pulumi's Node language host (`pulumi-language-nodejs`, a Go binary that cannot be had on
// this machine: see README "Known limits"). It lets the real `pulumi` CLI run a project's program, e.g.
// `pulumi preview` in a generated project, so tests exercise Pulumi.yaml, the stack settings file and
// the program exactly as a user's CLI would. It serves the LanguageRuntime gRPC service with the
// Automation API's own LanguageServer (the code that runs inline programs), loaded from the PROJECT's
// @pulumi/pulumi so the program and the runtime share one module instance, and runs the project's
// `main` in this process. See SPEC.md for what it does and does not do.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// The engine starts us as `pulumi-language-nodejs [flags] <engine address>`; the project's folder is
// our working directory.
const engineAddress =
  process.argv
    .slice(2)
    .filter((a) => !a.startsWith("-"))
    .pop() ?? "";
const requireFromProject = createRequire(resolve(process.cwd(), "package.json"));
const grpc = requireFromProject("@grpc/grpc-js");
const langrpc = requireFromProject("@pulumi/pulumi/proto/language_grpc_pb.js");
const plugproto = requireFromProject("@pulumi/pulumi/proto/plugin_pb.js");
const { LanguageServer } = requireFromProject("@pulumi/pulumi/automation/server.js");

class ProjectLanguageServer extends LanguageServer {
  constructor() {
    super(() => {
      throw new Error("no program loaded");
    });
  }

  run(call, callback) {
    const request = call.request;
    const main = request.getProgram() || request.getInfo()?.getEntrypoint() || ".";
    const entry = resolve(request.getPwd() || process.cwd(), main);
    this.program = async () => {
      const module = await import(pathToFileURL(requireFromProject.resolve(entry)).href);
      const exported = module.default ?? module;
      return typeof exported === "function" ? exported() : exported;
    };
    // The inline server reads the engine's address from the program arguments.
    request.setArgsList([engineAddress]);
    return super.run(call, callback);
  }

  getPluginInfo(_call, callback) {
    const info = new plugproto.PluginInfo();
    info.setVersion(requireFromProject("@pulumi/pulumi/package.json").version);
    callback(undefined, info);
  }
}

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(langrpc.LanguageRuntimeService, new ProjectLanguageServer());
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // The engine reads the port from our first line of output.
  process.stdout.write(`${port}\n`);
});
