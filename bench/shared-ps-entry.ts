// What bench/shared-ps.mjs needs from the sources, bundled as one module: the record writers (through
// the records root, so they follow DSTACK_BACKEND_URL as the CLI's do) and the S3 test server helpers.
export { writePool } from "../src/pools/pool-store.js";
export { writeRun } from "../src/runs/store.js";
export { createBucket, requireS3 } from "../test/integration/s3.js";
