// For bench/shared-ps.mjs: the Pulumi service stand-in in a process of its own (the bench's records
// calls block its own thread), on the folder given, printing its URL once it listens.
import { startPulumiService } from "../test/pulumi-service/server.js";

const service = await startPulumiService({
  dataDir: process.argv[2] ?? "",
  users: [{ name: "bench", token: "bench-token", orgs: ["team"] }],
});
process.stdout.write(`${service.url}\n`);
