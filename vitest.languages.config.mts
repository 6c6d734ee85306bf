import { defineConfig } from "vitest/config";

// The languages lane (npm run test:languages, run by CI): Python and Pulumi YAML programs through the provider
// plugin, and the SDKs generated from its schema. It builds the language hosts and installs the packed package
// once, so it is a lane of its own rather than part of npm test.
export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/languages/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: ["test/setup/languages.ts"],
    fileParallelism: false,
  },
});
