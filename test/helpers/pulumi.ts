// The vitest face of the stack runner: stacks use the run's Pulumi CLI (test/setup/global.ts).
import { inject } from "vitest";
import { TestStack } from "./stack";

export type { CliResult } from "./stack";
export { ops, TestStack } from "./stack";

/** A throw-away stack of the program in `programDir`, named `stack` (default e2e). */
export function createStack(programDir: string, env: NodeJS.ProcessEnv = {}, stack?: string): Promise<TestStack> {
  return TestStack.create(programDir, inject("pulumiBin"), env, stack);
}
