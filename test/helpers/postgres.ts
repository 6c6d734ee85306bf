// PostgreSQL for the tests that keep Pulumi state in it: Debian's package,
// installed by the test set-up when this machine has none (as root, as CI is),
// else the run fails with the command that installs it.
import { POSTGRES_MISSING, postgresBinDir } from "../../provider/cli/postgres";
import { progress, run, which } from "../../provider/cli/process";

export async function ensurePostgres(): Promise<void> {
  if (postgresBinDir()) return;
  if (process.getuid?.() !== 0 || !which("apt-get")) throw new Error(POSTGRES_MISSING);
  progress("installing Debian's postgresql (first run on this machine)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env });
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], { env });
  if (!postgresBinDir()) throw new Error(POSTGRES_MISSING);
}
