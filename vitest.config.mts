import { defineConfig } from "vitest/config";

// Forks, not threads: the Pulumi closure serializer uses node:inspector, and
// e2e tests spawn the CLI and a Mage server that must be torn down per file.
export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ["test/setup/global.ts"],
    fileParallelism: false,
  },
});
