import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { WORLD, keyedRng, scatterGroundLoot } from "@echoes/shared";
import { readDeploymentSecret } from "./queries/deployment";
import { spawnMissingEnemies } from "./queries/world";
import * as schema from "./schema/index";
import { enemyTypes, items, locationExits, locations, statusEffects } from "./schema/index";

const grams = (kg: number) => Math.round(kg * 1000);

/** Days that the seeded ground items stay before they expire. */
const SEEDED_ITEM_DAYS = 7;

export interface SeedSummary {
  locations: number;
  exits: number;
  items: number;
  enemyTypes: number;
  statusEffects: number;
  enemiesSpawned: number;
  groundStacks: number;
}

/**
 * Loads the world from packages/shared (upserting, so it is safe to run again and picks up
 * edited text), spawns every dangerous location's enemies up to its population and scatters
 * items on ground that has none yet.
 */
export async function seedWorld(databaseUrl: string): Promise<SeedSummary> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "echoes-seed" });
  await client.connect();
  const db = drizzle({ client, schema, casing: "snake_case" });
  try {
    return await db.transaction(async (tx) => {
      await tx
        .insert(locations)
        .values(WORLD.locations.map((l) => ({ id: l.id, name: l.name, description: l.description, dangerLevel: l.dangerLevel, image: l.image ?? null })))
        .onConflictDoUpdate({
          target: locations.id,
          set: { name: sql`excluded.name`, description: sql`excluded.description`, dangerLevel: sql`excluded.danger_level`, image: sql`excluded.image` },
        });
      await tx.delete(locationExits);
      const exits = WORLD.locations.flatMap((l) => l.exits.map((e) => ({ fromId: l.id, direction: e.direction, toId: e.to, staminaCost: e.staminaCost })));
      await tx.insert(locationExits).values(exits);
      await tx
        .insert(items)
        .values(WORLD.items.map((i) => ({ id: i.id, name: i.name, kind: i.kind, weightGrams: grams(i.weight), value: i.value, definition: i })))
        .onConflictDoUpdate({
          target: items.id,
          set: {
            name: sql`excluded.name`,
            kind: sql`excluded.kind`,
            weightGrams: sql`excluded.weight_grams`,
            value: sql`excluded.value`,
            definition: sql`excluded.definition`,
          },
        });
      await tx
        .insert(enemyTypes)
        .values(
          WORLD.enemyTypes.map((e) => ({
            id: e.id,
            name: e.name,
            maxHp: e.maxHp,
            xp: e.xp,
            minDanger: e.minDanger,
            maxDanger: e.maxDanger,
            roamChance: e.roamChance,
            definition: e,
          })),
        )
        .onConflictDoUpdate({
          target: enemyTypes.id,
          set: {
            name: sql`excluded.name`,
            maxHp: sql`excluded.max_hp`,
            xp: sql`excluded.xp`,
            minDanger: sql`excluded.min_danger`,
            maxDanger: sql`excluded.max_danger`,
            roamChance: sql`excluded.roam_chance`,
            definition: sql`excluded.definition`,
          },
        });
      await tx
        .insert(statusEffects)
        .values(
          WORLD.statusEffects.map((s) => ({
            id: s.id,
            name: s.name,
            kind: s.kind,
            durationTicks: s.durationTicks,
            hpPerTick: s.hpPerTick,
            staminaPerTick: s.staminaPerTick,
          })),
        )
        .onConflictDoUpdate({
          target: statusEffects.id,
          set: {
            name: sql`excluded.name`,
            kind: sql`excluded.kind`,
            durationTicks: sql`excluded.duration_ticks`,
            hpPerTick: sql`excluded.hp_per_tick`,
            staminaPerTick: sql`excluded.stamina_per_tick`,
          },
        });

      const direct = { preparedStatements: false };
      const secret = await readDeploymentSecret(direct, client);
      const spawned = await spawnMissingEnemies(direct, client, secret, { task: "seed-world", at: new Date() });
      const bare = await client.query<{ id: string; danger_level: number }>(
        "select l.id, l.danger_level from locations l where not exists (select 1 from dropped_items d where d.location_id = l.id) order by l.id",
      );
      const stacks = scatterGroundLoot(
        bare.rows.map((l) => ({ locationId: l.id, dangerLevel: l.danger_level })),
        WORLD.items,
        (locationId) => keyedRng(secret, `ground:${locationId}`),
      );
      await client.query(
        `insert into dropped_items (location_id, item_id, quantity, expires_at)
         select s.location_id, s.item_id, s.quantity, now() + make_interval(days => $4)
         from unnest($1::text[], $2::text[], $3::int[]) as s(location_id, item_id, quantity)`,
        [stacks.map((s) => s.locationId), stacks.map((s) => s.itemId), stacks.map((s) => s.quantity), SEEDED_ITEM_DAYS],
      );
      return {
        locations: WORLD.locations.length,
        exits: exits.length,
        items: WORLD.items.length,
        enemyTypes: WORLD.enemyTypes.length,
        statusEffects: WORLD.statusEffects.length,
        enemiesSpawned: spawned.reduce((n, r) => n + r.count, 0),
        groundStacks: stacks.length,
      };
    });
  } finally {
    await client.end();
  }
}

/**
 * Fills the database with benchmark-sized data generated by PostgreSQL itself (set-based
 * `insert ... select generate_series`, no row-at-a-time traffic): `players` players spread over
 * the map with statistics, and `droppedItems` stacks on the ground.
 */
export async function seedSynthetic(
  databaseUrl: string,
  counts: { players: number; droppedItems: number },
): Promise<{ players: number; droppedItems: number }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "echoes-seed-synthetic" });
  await client.connect();
  try {
    const locationIds = WORLD.locations.map((l) => l.id);
    const itemIds = WORLD.items.map((i) => i.id);
    await client.query("begin");
    const players = await client.query(
      `with ins as (
         insert into players (username, hp, max_hp, stamina, max_stamina, level, xp, location_id)
         select 'synthetic_' || (coalesce((select max(id) from players), 0) + g), 100, 100, 100, 100, 1 + (g % 10), (g * 37) % 5000,
                ($1::text[])[1 + (g % array_length($1::text[], 1))]
         from generate_series(1, $2::int) g
         returning id
       ), stats as (
         insert into player_statistics (player_id, kills, deaths) select id, id % 97, id % 13 from ins
       )
       select count(*)::int as n from ins`,
      [locationIds, counts.players],
    );
    const drops = await client.query(
      `with ins as (
         insert into dropped_items (location_id, item_id, quantity, expires_at)
         select ($1::text[])[1 + (g % array_length($1::text[], 1))],
                ($2::text[])[1 + ((g::bigint * 7919) % array_length($2::text[], 1))::int],
                1 + (g % 5),
                now() + make_interval(days => 7)
         from generate_series(1, $3::int) g
         returning 1
       ) select count(*)::int as n from ins`,
      [locationIds, itemIds, counts.droppedItems],
    );
    await client.query("commit");
    await client.query("analyze players, dropped_items, player_statistics");
    return { players: players.rows[0].n, droppedItems: drops.rows[0].n };
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
