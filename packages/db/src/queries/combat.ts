import { randomBytes } from "node:crypto";
import { type BatchPolicy, Batcher, ENEMY_TYPES, GameError, ITEMS, SECRET_BYTES, combatJobId } from "@echoes/shared";
import type { CombatActionKind } from "../schema/combat-actions";
import { type Database, pgErrorCode, refusedByDatabase } from "../client";
import { run, statement } from "../statement";

const engage = statement<{ id: number; locationId: string; enemyTypeId: string; hp: number; maxHp: number }, [playerId: number, enemyId: number, seed: Buffer]>(
  "engage_enemy",
  `with p as (
     select id, location_id from players where id = $1 and alive and combat_id is null for no key update
   ), e as (
     select id, enemy_type_id, location_id, hp, max_hp from wandering_enemies
     where id = $2 and died_at is null and combat_id is null and location_id = (select location_id from p)
     for no key update
   ), c as (
     insert into active_combats (player_id, enemy_id, enemy_type_id, location_id, seed)
     select p.id, e.id, e.enemy_type_id, e.location_id, $3 from p, e
     on conflict do nothing
     returning id, player_id, enemy_id, location_id
   ), player_side as (
     update players set combat_id = c.id, updated_at = now() from c where players.id = c.player_id
   ), enemy_side as (
     update wandering_enemies set combat_id = c.id from c where wandering_enemies.id = c.enemy_id
   )
   select c.id, c.location_id as "locationId", e.enemy_type_id as "enemyTypeId", e.hp, e.max_hp as "maxHp" from c, e`,
);

const engageRefusal = statement<
  {
    alive: boolean;
    inCombat: boolean;
    locationId: string;
    enemyId: number | null;
    enemyLocationId: string | null;
    enemyDead: boolean | null;
    enemyEngaged: boolean | null;
  },
  [playerId: number, enemyId: number]
>(
  "engage_refusal",
  `select p.alive, p.combat_id is not null as "inCombat", p.location_id as "locationId",
     e.id as "enemyId", e.location_id as "enemyLocationId", e.died_at is not null as "enemyDead", e.combat_id is not null as "enemyEngaged"
   from players p left join wandering_enemies e on e.id = $2
   where p.id = $1`,
);

export interface StartedFight {
  combatId: number;
  locationId: string;
  enemy: { id: number; enemyTypeId: string; name: string; hp: number; maxHp: number };
}

/**
 * Engages an enemy at the player's location; one fight per player and per enemy. The fight gets
 * a random secret seed of its own, which keys every roll of its turns and its loot.
 */
export async function startCombat(database: Database, playerId: number, enemyId: number): Promise<StartedFight> {
  const [started] = await run(database, database.primary, engage, [playerId, enemyId, randomBytes(SECRET_BYTES)]);
  if (started) {
    const name = ENEMY_TYPES.get(started.enemyTypeId)?.name ?? started.enemyTypeId;
    return {
      combatId: started.id,
      locationId: started.locationId,
      enemy: { id: enemyId, enemyTypeId: started.enemyTypeId, name, hp: started.hp, maxHp: started.maxHp },
    };
  }
  const [why] = await run(database, database.primary, engageRefusal, [playerId, enemyId]);
  if (!why) throw new GameError("unauthorized", "This player no longer exists.");
  if (!why.alive) throw new GameError("dead", "You are dead.");
  if (why.inCombat) throw new GameError("in_combat", "You are already in a fight.");
  if (why.enemyId === null || why.enemyDead) throw new GameError("not_found", `There is no enemy ${enemyId}.`, { enemyId });
  if (why.enemyLocationId !== why.locationId) throw new GameError("enemy_not_here", "That enemy is not here.", { enemyId });
  if (why.enemyEngaged) throw new GameError("enemy_engaged", "Someone else is already fighting that enemy.", { enemyId });
  throw new GameError("conflict", "The situation changed; look around and try again.");
}

export interface AcceptedAction {
  jobId: string;
  actionId: number;
  combatId: number;
  turn: number;
  /** False when an earlier request with the same idempotency key was found instead. */
  created: boolean;
  /** True when that earlier action is already resolved: there is nothing left to queue. */
  resolved: boolean;
}

interface PriorAction {
  id: number;
  combat_id: number;
  turn: number;
  action: string;
  item_id: string | null;
  status: string;
}

/** One combat action to record: who sends it, what it is, and its idempotency key if any. */
interface AcceptRequest {
  playerId: number;
  action: CombatActionKind;
  itemId: string | null;
  key: string | null;
}

/** What the answer to one request needs: the action it recorded, or else the one recorded under its key before, the fight, whether the item is in the pack, and whether the player exists. */
interface AcceptRow {
  created: { id: number; combat_id: number; turn: number } | null;
  prior: PriorAction | null;
  combat: { id: number; turn: number } | null;
  usable: boolean;
  playerExists: boolean;
}

/** A recorded action as the batch statement returns it, to be matched with the request that sent it. */
interface CreatedAction extends PriorAction {
  player_id: number;
  idempotency_key: string | null;
}

// Everything the answers to a batch of requests can need, in one round trip: the actions it
// recorded (each with what it was, to match it with its request), and per request the action
// recorded under its key before, its fight, whether its item is in the pack and whether its player exists.
// Each is looked up by key for its request (a lateral join, subqueries with a limit): a batch
// does not make PostgreSQL hash whole tables, however many rows it guesses the batch has.
const acceptStatement = statement<
  { created: CreatedAction[]; asked: Omit<AcceptRow, "created">[] },
  [players: number[], actions: CombatActionKind[], items: (string | null)[], keys: (string | null)[]]
>(
  "accept_combat_actions",
  `with req as (
     select * from unnest($1::int[], $2::text[], $3::text[], $4::text[]) with ordinality as r(player_id, action, item_id, idempotency_key, ord)
   ), asked as (
     select req.*, f.id as combat_id, f.turn,
       req.action <> 'use' or coalesce((select true from inventory i where i.player_id = req.player_id and i.item_id = req.item_id limit 1), false) as usable,
       coalesce((select true from players p where p.id = req.player_id limit 1), false) as "playerExists"
     from req
     left join lateral (select id, turn from active_combats where player_id = req.player_id and status = 'active' limit 1) f on true
   ), ins as (
     insert into combat_actions (combat_id, player_id, turn, action, item_id, idempotency_key)
     select combat_id, player_id, turn, action, item_id, idempotency_key from asked where combat_id is not null and usable
     order by ord
     on conflict do nothing
     returning id, combat_id, turn, action, item_id, player_id, idempotency_key
   )
   select coalesce((select json_agg(ins) from ins), '[]') as created,
     coalesce((select json_agg(json_build_object(
       'prior', (select row_to_json(p) from (select id, combat_id, turn, action, item_id, status from combat_actions
                 where a.idempotency_key is not null and player_id = a.player_id and idempotency_key = a.idempotency_key limit 1) p),
       'combat', case when a.combat_id is null then null else json_build_object('id', a.combat_id, 'turn', a.turn) end,
       'usable', a.usable,
       'playerExists', a."playerExists") order by a.ord) from asked a), '[]') as asked`,
);

// The action recorded under this key by a request that was still in flight when ours began.
const priorStatement = statement<PriorAction, [playerId: number, idempotencyKey: string]>(
  "prior_combat_action",
  `select id, combat_id, turn, action, item_id, status from combat_actions where player_id = $1 and idempotency_key = $2`,
);

/**
 * Records a batch of combat actions in one statement, each for its fight's current turn, and
 * gives each request its row. Of two requests of one batch for the same turn or key, the first
 * is recorded and the other finds it taken, as if it had come later.
 */
async function acceptBatch(database: Database, requests: readonly AcceptRequest[]): Promise<AcceptRow[]> {
  const [result] = await run(database, database.primary, acceptStatement, [
    requests.map((r) => r.playerId),
    requests.map((r) => r.action),
    requests.map((r) => r.itemId),
    requests.map((r) => r.key),
  ]);
  const rows: AcceptRow[] = requests.map((_, i) => ({ ...result!.asked[i]!, created: null }));
  for (const made of result!.created) {
    const i = requests.findIndex(
      (r, j) =>
        rows[j]!.created === null && r.playerId === made.player_id && r.action === made.action && r.itemId === made.item_id && r.key === made.idempotency_key,
    );
    if (i >= 0) rows[i]!.created = { id: made.id, combat_id: made.combat_id, turn: made.turn };
  }
  return rows;
}

/** Checks what can be checked without the database, and gives the request to record. */
function acceptRequest(
  playerId: number,
  action: { action: CombatActionKind; itemId?: string | undefined; idempotencyKey?: string | undefined },
): AcceptRequest {
  const itemId = action.action === "use" ? (action.itemId ?? null) : null;
  if (action.action === "use") {
    const def = itemId ? ITEMS.get(itemId) : undefined;
    if (!def) throw new GameError("not_found", `There is no item called ${itemId}.`, { itemId });
    if (def.kind !== "consumable") throw new GameError("not_usable", `${def.name} cannot be used in a fight.`, { itemId });
  }
  return { playerId, action: action.action, itemId, key: action.idempotencyKey ?? null };
}

/** The answer to one request from its row: the action recorded (or recorded before under the key), or the refusal. */
async function acceptedFrom(database: Database, request: AcceptRequest, row: AcceptRow): Promise<AcceptedAction> {
  const { playerId, itemId, key } = request;
  if (!row.playerExists) throw new GameError("unauthorized", "This player no longer exists.");
  if (row.created) {
    const { id, combat_id: combatId, turn } = row.created;
    return { jobId: combatJobId(combatId, turn), actionId: id, combatId, turn, created: true, resolved: false };
  }
  const prior = row.prior ?? (key ? (await run(database, database.primary, priorStatement, [playerId, key]))[0] : undefined);
  if (prior) {
    if (prior.action !== request.action || prior.item_id !== itemId) {
      throw new GameError("conflict", "This Idempotency-Key was already used for a different action.");
    }
    const { id: actionId, combat_id: combatId, turn } = prior;
    return { jobId: combatJobId(combatId, turn), actionId, combatId, turn, created: false, resolved: prior.status !== "accepted" };
  }
  if (!row.combat) throw new GameError("not_in_combat", "You are not in a fight.");
  if (!row.usable) throw new GameError("not_enough_items", `You have no ${ITEMS.get(itemId!)?.name ?? itemId}.`, { itemId });
  throw new GameError("turn_pending", `Turn ${row.combat.turn} is still being resolved; wait for its result.`, {
    turn: row.combat.turn,
    jobId: combatJobId(row.combat.id, row.combat.turn),
  });
}

/** The player (and with them the fight) was deleted while the action was being recorded. */
function playerGone(err: unknown): never {
  if (pgErrorCode(err) === "23503") throw new GameError("unauthorized", "This player no longer exists.");
  throw err;
}

/**
 * Records a combat action for the fight's current turn, in one round trip. The same idempotency
 * key returns the first acceptance; a second action for a turn that is still pending is refused.
 */
export async function acceptCombatAction(
  database: Database,
  playerId: number,
  action: { action: CombatActionKind; itemId?: string | undefined; idempotencyKey?: string | undefined },
): Promise<AcceptedAction> {
  const request = acceptRequest(playerId, action);
  const [row] = await acceptBatch(database, [request]).catch(playerGone);
  return acceptedFrom(database, request, row!);
}

/**
 * `acceptCombatAction` for a busy process: the requests that arrive together are recorded in
 * one statement (one round trip and one commit for all of them), at most `policy.inFlight`
 * statements at a time, and each request gets its own answer. A batch the database refuses for
 * one request in it (its player was deleted meanwhile) is recorded again request by request.
 */
export class CombatActionRecorder {
  private readonly batcher: Batcher<AcceptRequest, AcceptRow>;

  constructor(
    private readonly database: Database,
    policy: BatchPolicy,
  ) {
    this.batcher = new Batcher((requests) => acceptBatch(database, requests), policy, refusedByDatabase);
  }

  async accept(
    playerId: number,
    action: { action: CombatActionKind; itemId?: string | undefined; idempotencyKey?: string | undefined },
  ): Promise<AcceptedAction> {
    const request = acceptRequest(playerId, action);
    const row = await this.batcher.submit(request).catch(playerGone);
    return acceptedFrom(this.database, request, row);
  }
}

export interface CombatView {
  id: number;
  status: string;
  turn: number;
  locationId: string;
  enemy: { id: number | null; enemyTypeId: string; name: string; hp: number | null; maxHp: number | null };
  damageDealt: number;
  damageTaken: number;
  startedAt: string;
  endedAt: string | null;
  log: { turn: number; jobId: string; action: string; itemId: string | null; state: string; result: unknown }[];
}

/** Most turns a combat view lists (the latest ones). */
export const COMBAT_LOG_LIMIT = 50;

const combatViewStatement = statement<
  {
    id: number;
    status: string;
    turn: number;
    locationId: string;
    enemyId: number | null;
    enemyTypeId: string;
    enemyName: string;
    enemyHp: number | null;
    enemyMaxHp: number | null;
    damageDealt: number;
    damageTaken: number;
    startedAt: Date;
    endedAt: Date | null;
    log: { turn: number; action: string; itemId: string | null; state: string; result: unknown }[];
  },
  [playerId: number]
>(
  "combat_view",
  `select c.id, c.status, c.turn, c.location_id as "locationId", c.enemy_id as "enemyId", c.enemy_type_id as "enemyTypeId",
     t.name as "enemyName", e.hp as "enemyHp", e.max_hp as "enemyMaxHp",
     c.damage_dealt as "damageDealt", c.damage_taken as "damageTaken", c.started_at as "startedAt", c.ended_at as "endedAt",
     coalesce((select json_agg(a order by a.turn) from (
        select turn, action, item_id as "itemId", status as state, result from combat_actions
        where combat_id = c.id order by turn desc limit ${COMBAT_LOG_LIMIT}) a), '[]') as log
   from active_combats c
   join enemy_types t on t.id = c.enemy_type_id
   left join wandering_enemies e on e.id = c.enemy_id
   where c.player_id = $1
   order by (c.status = 'active') desc, c.id desc
   limit 1`,
);

const STATE_NAMES: Record<string, string> = { accepted: "queued", completed: "completed", failed: "failed" };

/** The player's current fight, or the last one when none is going on; null when they never fought. */
export async function getCombatView(database: Database, playerId: number): Promise<CombatView | null> {
  const [row] = await run(database, database.primary, combatViewStatement, [playerId]);
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    turn: row.turn,
    locationId: row.locationId,
    enemy: { id: row.enemyId, enemyTypeId: row.enemyTypeId, name: row.enemyName, hp: row.enemyHp, maxHp: row.enemyMaxHp },
    damageDealt: row.damageDealt,
    damageTaken: row.damageTaken,
    startedAt: new Date(row.startedAt).toISOString(),
    endedAt: row.endedAt ? new Date(row.endedAt).toISOString() : null,
    log: row.log.map((entry) => ({ ...entry, jobId: combatJobId(row.id, entry.turn), state: STATE_NAMES[entry.state] ?? entry.state })),
  };
}

export interface JobRecord {
  playerId: number;
  state: "queued" | "completed" | "failed";
  result: unknown;
  acceptedAt: string;
  completedAt: string | null;
}

const jobStatement = statement<
  { playerId: number; status: string; result: unknown; acceptedAt: Date; completedAt: Date | null },
  [combatId: number, turn: number]
>(
  "combat_job",
  `select player_id as "playerId", status, result, accepted_at as "acceptedAt", completed_at as "completedAt"
   from combat_actions where combat_id = $1 and turn = $2`,
);

/** An accepted action by fight and turn, as stored in PostgreSQL; null when there is none. */
export async function getCombatJob(database: Database, combatId: number, turn: number): Promise<JobRecord | null> {
  const [row] = await run(database, database.primary, jobStatement, [combatId, turn]);
  if (!row) return null;
  return {
    playerId: row.playerId,
    state: row.status === "accepted" ? "queued" : (row.status as "completed" | "failed"),
    result: row.result ?? undefined,
    acceptedAt: new Date(row.acceptedAt).toISOString(),
    completedAt: row.completedAt ? new Date(row.completedAt).toISOString() : null,
  };
}
