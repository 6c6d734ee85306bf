// A throw-away PostgreSQL server on loopback, from the machine's own
// PostgreSQL (Debian's `postgresql` package): for a team's shared state
// backend in the tests (`pulumi login postgres://…`), and for Mage's metadata.
// A new cluster in a temporary folder, password authentication over TCP only,
// removed on stop. PostgreSQL refuses to run as root, so as root it runs as
// the `postgres` user the Debian package creates.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, run, which } from "./process";

export interface PostgresSandbox {
  /** postgres://user:password@127.0.0.1:port/database?sslmode=disable */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Runs SQL with psql as the database's owner; resolves with psql's unaligned output. */
  sql(query: string): Promise<string>;
  stop(): Promise<void>;
}

/** The directory of initdb, pg_ctl and psql, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const onPath = which("initdb");
  if (onPath) return path.dirname(fs.realpathSync(onPath));
  const debian = "/usr/lib/postgresql";
  if (!fs.existsSync(debian)) return undefined;
  const versions = fs
    .readdirSync(debian)
    .filter((v) => fs.existsSync(path.join(debian, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(debian, versions[0], "bin") : undefined;
}

export const POSTGRES_MISSING =
  "PostgreSQL is not installed: apt-get install postgresql (Debian's package has initdb, pg_ctl and psql)";

export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresSandbox> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pp-postgres-"));
  const data = path.join(root, "data");
  const user = "pipelines";
  const password = randomBytes(12).toString("hex");
  const database = opts.database ?? "pipelines";
  const port = await freePort();
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(root, "pwfile"), `${password}\n`);

  // As root: the cluster belongs to `postgres`, and every server command runs as it.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run("chown", ["-R", "postgres:postgres", root]);
  const pg = (cmd: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);

  await pg("initdb", [
    "-D",
    data,
    "-U",
    user,
    `--pwfile=${path.join(root, "pwfile")}`,
    "--auth-host=scram-sha-256",
    "--auth-local=trust",
    "--encoding=UTF8",
    "--no-instructions",
  ]);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=off`;
  await pg("pg_ctl", ["-D", data, "-o", options, "-l", path.join(root, "server.log"), "-w", "-t", "60", "start"]);

  const psql = (db: string, query: string) =>
    pg("psql", ["-h", root, "-p", String(port), "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", query]);
  if (database !== "postgres") await psql("postgres", `CREATE DATABASE "${database}"`);

  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}?sslmode=disable`,
    host: "127.0.0.1",
    port,
    user,
    password,
    database,
    sql: (query) => psql(database, query),
    async stop() {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
