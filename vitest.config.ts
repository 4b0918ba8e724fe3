import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // CLI tests spawn the built bundle; keep them deterministic on a 2-core machine.
    pool: "forks",
    testTimeout: 20_000,
  },
});
