import {
  ENEMY_TYPES,
  ITEMS,
  STATUS_EFFECTS,
  type ActiveEffect,
  type FightStatus,
  type SettledTurn,
  type StatDeltas,
  type TurnAction,
  type TurnRecord,
  asArmour,
  asConsumable,
  asWeapon,
  keyedRng,
  settleTurn,
} from "@echoes/shared";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

export type { TurnRecord };

/** The result a turn that could not be taken stores instead of a record. */
export interface VoidTurn {
  error: "combat_over";
  message: string;
}

/** One accepted action to apply: the fight and the turn it was accepted for. */
export interface TurnRef {
  combatId: number;
  turn: number;
}

export const turnKey = (ref: TurnRef) => `${ref.combatId}:${ref.turn}`;

/** What the worker needs after the commit to notify, invalidate and enqueue follow-ups. */
export interface ResolvedTurn {
  /** False when the turn had been resolved before (a retry or a duplicate job). */
  fresh: boolean;
  playerId: number;
  locationId: string;
  enemyId: number | null;
  status: "completed" | "failed";
  record: TurnRecord | VoidTurn;
  /** Set when this turn ended the fight: its outcome and the statistics event it recorded. */
  ended: null | { outcome: FightStatus; statsEventKey: string };
  /** Outbox rows this turn wrote (a death notification), to be queued for sending. */
  emails: number[];
}

/** The fight's statistics event: one per fight, recorded by the turn that ends it. */
export const fightStatsEventKey = (combatId: number) => `fight-${combatId}`;

interface LockedTurn {
  combatId: number;
  turn: number;
  status: FightStatus;
  fightTurn: number;
  playerId: number;
  enemyId: number | null;
  enemyTypeId: string;
  locationId: string;
  damageDealt: number;
  damageTaken: number;
  /** The fight's seed, hex-encoded by json_agg. */
  seed: string;
  action: TurnAction["kind"];
  itemId: string | null;
  actionStatus: "accepted" | "completed" | "failed";
  result: TurnRecord | VoidTurn | null;
}

interface LockedPlayer {
  id: number;
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  level: number;
  xp: number;
  weaponItemId: string | null;
  armourItemId: string | null;
  effects: ActiveEffect[];
  itemQuantity: number | null;
}

interface LockedEnemy {
  id: number;
  hp: number;
  maxHp: number;
  effects: ActiveEffect[];
}

/**
 * Locks a batch of turns and loads what settling them needs, in one round trip and in a fixed
 * order: first the fights with their actions (by fight id, each action found by its key, never
 * by scanning the table), then the players, then the enemies of the turns that can be taken
 * (each by id). Two batches lock in the same order, so they can
 * wait for each other but never deadlock; a worker waiting for a fight that another is applying
 * sees the rows as that one left them (a turn already resolved, a fight already over). Players
 * in a fight have their pack and effects changed only by their fight's turns, so what is read
 * with their locks is current.
 */
const lockBatch = statement<{ turns: LockedTurn[]; players: LockedPlayer[]; enemies: LockedEnemy[] }, [combatIds: number[], turns: number[]]>(
  "lock_combat_batch",
  `with req as materialized (
     select * from unnest($1::bigint[], $2::int[]) as r(combat_id, turn) order by combat_id, turn
   ), turns as (
     select c.id as "combatId", a.turn, c.status, c.turn as "fightTurn", c.player_id as "playerId", c.enemy_id as "enemyId",
       c.enemy_type_id as "enemyTypeId", c.location_id as "locationId", c.damage_dealt as "damageDealt", c.damage_taken as "damageTaken",
       encode(c.seed, 'hex') as seed, a.action, a.item_id as "itemId", a.status as "actionStatus", a.result
     from req
     cross join lateral (select * from combat_actions a where a.combat_id = req.combat_id and a.turn = req.turn for no key update) a
     cross join lateral (select * from active_combats c where c.id = a.combat_id for no key update) c
   ), takeable as (
     select * from turns where "actionStatus" = 'accepted' and status = 'active' and "fightTurn" = turn and "enemyId" is not null
   ), players as (
     select p.id, p.hp, p.max_hp as "maxHp", p.stamina, p.max_stamina as "maxStamina", p.level, p.xp,
       p.weapon_item_id as "weaponItemId", p.armour_item_id as "armourItemId",
       coalesce((select json_agg(json_build_object('effectId', e.effect_id, 'remainingTicks', e.remaining_ticks) order by e.applied_at, e.effect_id)
                 from player_status_effects e where e.player_id = p.id), '[]') as effects,
       (select i.quantity from inventory i join takeable t on t."itemId" = i.item_id and t."playerId" = i.player_id where i.player_id = p.id limit 1) as "itemQuantity"
     from players p where p.id in (select "playerId" from takeable)
     order by p.id
     for no key update of p
   ), enemies as (
     select e.id, e.hp, e.max_hp as "maxHp", e.effects from wandering_enemies e
     where e.id in (select "enemyId" from takeable)
     order by e.id
     for no key update of e
   )
   select coalesce((select json_agg(t) from turns t), '[]') as turns,
     coalesce((select json_agg(p) from players p), '[]') as players,
     coalesce((select json_agg(e) from enemies e), '[]') as enemies`,
);

/** A settled turn as the write statement reads it (snake_case, one object per turn). */
interface TurnWrite {
  combat_id: number;
  turn: number;
  status: FightStatus;
  damage_dealt: number;
  damage_taken: number;
  result: TurnRecord;
  player_id: number;
  hp: number;
  stamina: number;
  xp: number;
  level: number;
  max_hp: number;
  max_stamina: number;
  alive: boolean;
  effects: { effect_id: string; remaining_ticks: number }[];
  enemy_id: number;
  enemy_hp: number;
  enemy_effects: ActiveEffect[];
  enemy_dead: boolean;
  item_used: string | null;
  stats_key: string | null;
  stats: StatDeltas | null;
}

/** A turn that could not be taken, as the write statement reads it. */
interface VoidWrite {
  combat_id: number;
  turn: number;
  result: VoidTurn;
}

/** JSON text of a `T`: node-postgres would send a bare array as a PostgreSQL array, not as jsonb. */
type Json<T> = string & { readonly json?: T };
const json = <T>(value: T): Json<T> => JSON.stringify(value);

/**
 * Writes a batch of settled turns and void ones, one statement for all: each table is updated
 * once from the batch's rows. It writes exactly what `settleTurn` returned, and for a player who
 * died with death notifications on, the email in the outbox, in the same transaction.
 */
const writeBatch = statement<{ deathMails: { id: number; playerId: number }[] }, [settled: Json<TurnWrite[]>, voided: Json<VoidWrite[]>]>(
  "write_combat_batch",
  `with t as (
     select * from jsonb_to_recordset($1::jsonb) as t(
       combat_id bigint, turn int, status text, damage_dealt int, damage_taken int, result jsonb,
       player_id int, hp int, stamina int, xp int, level int, max_hp int, max_stamina int, alive boolean, effects jsonb,
       enemy_id bigint, enemy_hp int, enemy_effects jsonb, enemy_dead boolean, item_used text, stats_key text, stats jsonb)
   ), v as (
     select * from jsonb_to_recordset($2::jsonb) as v(combat_id bigint, turn int, result jsonb)
   ), fight as (
     update active_combats c set turn = t.turn + 1, status = t.status, damage_dealt = t.damage_dealt, damage_taken = t.damage_taken,
       ended_at = case when t.status = 'active' then null else now() end
     from t where c.id = t.combat_id
   ), act as (
     update combat_actions a set status = 'completed', result = t.result, completed_at = now()
     from t where a.combat_id = t.combat_id and a.turn = t.turn
   ), voided as (
     update combat_actions a set status = 'failed', result = v.result, completed_at = now()
     from v where a.combat_id = v.combat_id and a.turn = v.turn and a.status = 'accepted'
   ), player_side as (
     update players p set hp = t.hp, stamina = t.stamina, xp = t.xp, level = t.level, max_hp = t.max_hp, max_stamina = t.max_stamina,
       alive = t.alive, died_at = case when t.alive then null else now() end,
       combat_id = case when t.status = 'active' then p.combat_id else null end, updated_at = now()
     from t where p.id = t.player_id
   ), kept as (
     select t.player_id, x.effect_id, x.remaining_ticks from t cross join lateral jsonb_to_recordset(t.effects) as x(effect_id text, remaining_ticks int)
   ), effects_gone as (
     delete from player_status_effects e using t
     where e.player_id = t.player_id and not exists (select 1 from kept k where k.player_id = e.player_id and k.effect_id = e.effect_id)
   ), effects_kept as (
     insert into player_status_effects (player_id, effect_id, remaining_ticks) select player_id, effect_id, remaining_ticks from kept
     on conflict (player_id, effect_id) do update set remaining_ticks = excluded.remaining_ticks
   ), enemy_side as (
     update wandering_enemies e set hp = t.enemy_hp, effects = t.enemy_effects,
       combat_id = case when t.status = 'active' then e.combat_id else null end,
       died_at = case when t.enemy_dead then now() else null end
     from t where e.id = t.enemy_id
   ), pack as (
     update inventory i set quantity = i.quantity - 1 from t where i.player_id = t.player_id and i.item_id = t.item_used and i.quantity > 1
   ), pack_empty as (
     delete from inventory i using t where i.player_id = t.player_id and i.item_id = t.item_used and i.quantity = 1
   ), stats as (
     insert into stat_events (event_key, player_id, deltas) select t.stats_key, t.player_id, t.stats from t where t.stats_key is not null
   ), death_mail as (
     insert into email_outbox (kind, player_id, address, dedupe_key, data)
     select 'death', p.id, p.email, 'death-' || t.combat_id,
       jsonb_build_object('enemyTypeId', c.enemy_type_id, 'locationId', c.location_id, 'diedAt', now())
     from t join players p on p.id = t.player_id join active_combats c on c.id = t.combat_id
     where t.status = 'lost' and p.notify_death and p.email_verified_at is not null
     on conflict (dedupe_key) where dedupe_key is not null do nothing
     returning id, player_id as "playerId"
   )
   select coalesce((select json_agg(m) from death_mail m), '[]') as "deathMails"`,
);

/**
 * How the batch's statements are planned. They reach a few rows of each table by key, for a
 * batch that PostgreSQL cannot count (it guesses 100 rows for a JSON or array input); and it
 * takes a table it has not analyzed yet for 10 pages. So it would hash whole tables instead,
 * combat_actions among them, which grows by every action: a new deployment's first plans, kept
 * for as long as their connection lives, scanned it whole on every batch. Inside the batch's
 * transaction only index lookups in nested loops are planned, and nothing is compiled: the costs
 * of the plans left out would otherwise pass the JIT threshold, which took 50 ms a batch.
 */
const BATCH_PLANNING = { enable_seqscan: "off", enable_hashjoin: "off", enable_mergejoin: "off", jit: "off" } as const;

/** A turn already resolved: its stored result, and how it ended the fight if it did (so a retry can finish the follow-ups). */
function storedTurn(row: LockedTurn): ResolvedTurn {
  const endedHere = row.actionStatus === "completed" && row.status !== "active" && row.fightTurn === row.turn + 1;
  return {
    fresh: false,
    playerId: row.playerId,
    locationId: row.locationId,
    enemyId: row.enemyId,
    status: row.actionStatus === "completed" ? "completed" : "failed",
    record: row.result as TurnRecord | VoidTurn,
    ended: endedHere ? { outcome: row.status, statsEventKey: fightStatsEventKey(row.combatId) } : null,
    emails: [],
  };
}

/** Settles one takeable turn with its sides, or says why it cannot be taken. */
function settle(row: LockedTurn, player: LockedPlayer | undefined, enemy: LockedEnemy | undefined): SettledTurn | string {
  const enemyType = ENEMY_TYPES.get(row.enemyTypeId);
  if (!player || !enemy || !enemyType) return "One side of this fight is gone.";
  const action: TurnAction =
    row.action === "use"
      ? { kind: "use", itemId: row.itemId ?? "", item: player.itemQuantity ? asConsumable(ITEMS.get(row.itemId ?? "")) : null }
      : { kind: row.action };
  return settleTurn(
    { combatId: row.combatId, turn: row.turn, enemyId: row.enemyId, damageDealt: row.damageDealt, damageTaken: row.damageTaken },
    {
      hp: player.hp,
      maxHp: player.maxHp,
      stamina: player.stamina,
      maxStamina: player.maxStamina,
      level: player.level,
      xp: player.xp,
      effects: player.effects,
      weapon: asWeapon(ITEMS.get(player.weaponItemId ?? "")),
      armour: asArmour(ITEMS.get(player.armourItemId ?? "")),
    },
    { hp: enemy.hp, maxHp: enemy.maxHp, effects: enemy.effects, type: enemyType },
    action,
    STATUS_EFFECTS,
    keyedRng(Buffer.from(row.seed, "hex"), `turn:${row.turn}`),
  );
}

/**
 * Applies a batch of accepted combat actions, each exactly once, in one transaction of two
 * statements: lock and load every side (`lockBatch`), settle each turn with randomness keyed by
 * its fight's secret seed and the turn (so a retry rolls the same), write what `settleTurn`
 * returned (`writeBatch`). A turn resolved before returns its stored result; a turn that can no
 * longer be taken (its fight ended, a side is gone) is recorded as failed on its own while the
 * others apply. The result maps `turnKey` of each ref to its outcome, or null when there is no
 * such accepted action. If the transaction fails, nothing of the batch is applied.
 */
export async function resolveCombatTurns(database: Database, refs: readonly TurnRef[]): Promise<Map<string, ResolvedTurn | null>> {
  const unique = [...new Map(refs.map((r) => [turnKey(r), r])).values()];
  return transaction(
    database,
    async (client) => {
      const [locked] = await run(database, client, lockBatch, [unique.map((r) => r.combatId), unique.map((r) => r.turn)]);
      const rows = new Map((locked?.turns ?? []).map((t) => [turnKey(t), t]));
      const players = new Map((locked?.players ?? []).map((p) => [p.id, p]));
      const enemies = new Map((locked?.enemies ?? []).map((e) => [e.id, e]));
      const outcomes = new Map<string, ResolvedTurn | null>();
      const settled: TurnWrite[] = [];
      const voided: VoidWrite[] = [];
      for (const ref of unique) {
        const key = turnKey(ref);
        const row = rows.get(key);
        if (!row) {
          outcomes.set(key, null);
          continue;
        }
        if (row.actionStatus !== "accepted") {
          outcomes.set(key, storedTurn(row));
          continue;
        }
        const base = { playerId: row.playerId, locationId: row.locationId, enemyId: row.enemyId };
        const takeable = row.status === "active" && row.fightTurn === row.turn && row.enemyId !== null;
        const turn = takeable ? settle(row, players.get(row.playerId), enemies.get(row.enemyId!)) : "The fight ended before this action could be taken.";
        if (typeof turn === "string") {
          const record: VoidTurn = { error: "combat_over", message: turn };
          voided.push({ combat_id: row.combatId, turn: row.turn, result: record });
          outcomes.set(key, { ...base, fresh: true, status: "failed", record, ended: null, emails: [] });
          continue;
        }
        const statsKey = turn.stats ? fightStatsEventKey(row.combatId) : null;
        const { player, enemy } = turn;
        settled.push({
          combat_id: row.combatId,
          turn: row.turn,
          status: turn.fight.status,
          damage_dealt: turn.fight.damageDealt,
          damage_taken: turn.fight.damageTaken,
          result: turn.record,
          player_id: row.playerId,
          hp: player.hp,
          stamina: player.stamina,
          xp: player.xp,
          level: player.level,
          max_hp: player.maxHp,
          max_stamina: player.maxStamina,
          alive: player.alive,
          effects: player.effects.map((e) => ({ effect_id: e.effectId, remaining_ticks: e.remainingTicks })),
          enemy_id: row.enemyId!,
          enemy_hp: enemy.hp,
          enemy_effects: enemy.effects,
          enemy_dead: enemy.dead,
          item_used: turn.itemUsed,
          stats_key: statsKey,
          stats: turn.stats,
        });
        outcomes.set(key, {
          ...base,
          fresh: true,
          status: "completed",
          record: turn.record,
          ended: statsKey ? { outcome: turn.fight.status, statsEventKey: statsKey } : null,
          emails: [],
        });
      }
      if (settled.length + voided.length > 0) {
        const [written] = await run(database, client, writeBatch, [json(settled), json(voided)]);
        for (const mail of written?.deathMails ?? []) {
          for (const outcome of outcomes.values())
            if (outcome?.fresh && outcome.ended?.outcome === "lost" && outcome.playerId === mail.playerId) outcome.emails.push(mail.id);
        }
      }
      return outcomes;
    },
    { settings: BATCH_PLANNING },
  );
}

/** `resolveCombatTurns` for one turn: its outcome, or null when there is no such accepted action. */
export async function resolveCombatTurn(database: Database, combatId: number, turn: number): Promise<ResolvedTurn | null> {
  const outcomes = await resolveCombatTurns(database, [{ combatId, turn }]);
  return outcomes.get(turnKey({ combatId, turn })) ?? null;
}
