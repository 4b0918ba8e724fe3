// Synchronous S3 calls for the record store (s3-worker.ts does the work): each call posts its operation
// with a MessagePort and a shared flag to one worker per process and location, then blocks on
// Atomics.wait until the worker sets the flag, and takes the reply off the port. The worker is unref'd:
// it never keeps a finished command alive.
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { UserError } from "../errors.js";
import type { S3Location } from "./s3-location.js";
import { s3WorkerMain, type S3Op, type S3Reply } from "./s3-worker.js";

const workers = new Map<string, Worker>();

function workerFor(location: S3Location): Worker {
  const id = JSON.stringify(location);
  let worker = workers.get(id);
  if (worker === undefined) {
    worker = new Worker(`(${s3WorkerMain.toString()})(require)`, { eval: true, workerData: { location } });
    worker.unref();
    workers.set(id, worker);
  }
  return worker;
}

/** How long one call may take before it is an error (the worker's own requests time out at 30 s). */
const CALL_TIMEOUT_MS = 60_000;

/** The worker for plain HTTP requests (no S3 location: its requests carry their own URL). */
const HTTP_LOCATION: S3Location = {
  bucket: "",
  prefix: "",
  region: "",
  endpoint: "http://unused",
  pathStyle: true,
};

/** One HTTP request, synchronously; an unreachable server is `status: null`. */
export function httpCall(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): { status: number | null; body: string; error?: string } {
  const reply = s3Call(HTTP_LOCATION, {
    op: "http",
    method,
    url,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (reply.kind === "http") return { status: reply.status, body: reply.body };
  if (reply.kind === "error") return { status: null, body: "", error: `${reply.code}: ${reply.message}` };
  throw new Error(`internal: unexpected reply ${reply.kind}`);
}

/** Blocks this thread for `ms` (between tries of a lock held by another writer). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function s3Call(location: S3Location, op: S3Op): S3Reply {
  const worker = workerFor(location);
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ op, flag, port: port2 }, [port2]);
  const waited = Atomics.wait(new Int32Array(flag), 0, 0, CALL_TIMEOUT_MS);
  const message = receiveMessageOnPort(port1);
  port1.close();
  if (waited === "timed-out" || message === undefined)
    throw new UserError(
      "state-backend",
      `the S3 backend ${location.endpoint}/${location.bucket} did not answer within ${CALL_TIMEOUT_MS / 1000} s`,
      "check the endpoint and your network",
    );
  return message.message as S3Reply;
}
