import type { Database } from "../client";
import { type Queryable, run, statement } from "../statement";

const secretStatement = statement<{ secret: Buffer }>("deployment_secret", "select secret from game_instance");

const secrets = new WeakMap<Pick<Database, "preparedStatements">, Promise<Buffer>>();

/** Reads the deployment's secret (see `game_instance.secret`) over any connection. */
export async function readDeploymentSecret(database: Pick<Database, "preparedStatements">, target: Queryable): Promise<Buffer> {
  const [row] = await run(database, target, secretStatement, []);
  if (!row) throw new Error("game_instance has no row: the migrations have not been applied");
  return row.secret;
}

/** The deployment's secret, read once per process: it never changes for a database. */
export function deploymentSecret(database: Database): Promise<Buffer> {
  let secret = secrets.get(database);
  if (!secret) {
    secret = readDeploymentSecret(database, database.pools.primary);
    secrets.set(database, secret);
    secret.catch(() => secrets.delete(database));
  }
  return secret;
}
