// Points a test stack at the Feldera and Ionworks emulators (test/fakes), as a user's stack config points at
// their servers: the URL, the project, and the API key as a secret. Mage's is configureMage (./mage.ts).
interface Configurable {
  config(key: string, value: string, opts?: { secret?: boolean; path?: boolean }): Promise<unknown>;
}

export async function configureFeldera(stack: Configurable, url: string, apiKey: string): Promise<void> {
  await stack.config("pipelines:feldera.url", url, { path: true });
  await stack.config("pipelines:feldera.apiKey", apiKey, { path: true, secret: true });
}

export async function configureIonworks(
  stack: Configurable,
  server: { url: string; projectId: string },
  apiKey: string,
): Promise<void> {
  await stack.config("pipelines:ionworks.url", server.url, { path: true });
  await stack.config("pipelines:ionworks.project", server.projectId, { path: true });
  await stack.config("pipelines:ionworks.apiKey", apiKey, { path: true, secret: true });
}
