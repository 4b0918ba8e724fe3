// The plugin process: `node plugin-<hash>.cjs <aws|gcp|azure> [engine address]`, started by the engine as
// pulumi-resource-aws / -gcp / -azure-native (see install.ts). Prints its gRPC port, then serves.
import { awsModel } from "./aws/model.js";
import { FakeCloudProvider } from "./core/provider.js";
import { serve } from "./core/server.js";
import { azureModel } from "./azure/model.js";
import { gcpModel } from "./gcp/model.js";

function start(cloud: string | undefined): Promise<unknown> {
  switch (cloud) {
    case "aws":
      return serve(new FakeCloudProvider(awsModel));
    case "gcp":
      return serve(new FakeCloudProvider(gcpModel));
    case "azure":
    case "azure-native":
      return serve(new FakeCloudProvider(azureModel));
    default:
      return Promise.reject(
        new Error(`fake-cloud: unknown cloud "${String(cloud)}"; expected aws, gcp or azure`),
      );
  }
}

start(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
