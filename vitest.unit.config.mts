import { defineConfig } from "vitest/config";

// The fast lane (npm run test:unit): test/unit/ only, with no global set-up: no Pulumi CLI, no Mage, no Python,
// no network. npm test runs these too, with everything else.
export default defineConfig({
  test: {
    pool: "forks",
    include: ["test/unit/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
