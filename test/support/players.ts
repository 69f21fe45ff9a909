import { randomBytes } from "node:crypto";

export type Sql = <T extends Record<string, any> = any>(text: string, values?: unknown[]) => Promise<T[]>;

/**
 * Creates players straight in the database (no password hashing) at a location, with
 * statistics rows and an optional kit, and signs their tokens: for tests that need many
 * players fast.
 */
export async function createPlayers(
  sql: Sql,
  issue: (playerId: number) => Promise<{ token: string }>,
  count: number,
  locationId: string,
  kit: { itemId: string; quantity: number }[] = [],
): Promise<{ id: number; token: string; username: string }[]> {
  const tag = randomBytes(3).toString("hex");
  const rows = await sql<{ id: number; username: string }>(
    `insert into players (username, hp, max_hp, stamina, max_stamina, location_id)
     select 'bulk_' || $1 || '_' || g, 100, 100, 100, 100, $2 from generate_series(1, $3::int) g
     returning id, username`,
    [tag, locationId, count],
  );
  await sql("insert into player_statistics (player_id) select unnest($1::int[])", [rows.map((r) => r.id)]);
  if (kit.length > 0) {
    await sql(
      `insert into inventory (player_id, item_id, quantity)
       select p, k.item_id, k.quantity from unnest($1::int[]) p, unnest($2::text[], $3::int[]) k(item_id, quantity)`,
      [rows.map((r) => r.id), kit.map((k) => k.itemId), kit.map((k) => k.quantity)],
    );
  }
  return Promise.all(rows.map(async (r) => ({ ...r, token: (await issue(r.id)).token })));
}
