import { defineConfig } from "vitest/config";

// The review rendered by Mermaid in a real headless Chromium (npm run test:browser).
// Apart from `npm test`: it needs Chromium from the system's packages, which CI installs.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.spec.ts"],
    testTimeout: 120_000,
  },
});
