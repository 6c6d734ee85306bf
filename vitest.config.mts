import { configDefaults, defineConfig } from "vitest/config";

// Forks, not threads: the Pulumi closure serializer uses node:inspector, and
// e2e tests spawn the CLI and a Mage server that must be torn down per file.
export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/**/*.test.ts"],
    // Their own lane (vitest.languages.config.mts): they need language hosts and the packed package.
    exclude: [...configDefaults.exclude, "test/languages/**"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ["test/setup/global.ts"],
    fileParallelism: false,
  },
});
