import { randomUUID } from "node:crypto";
import { GameError } from "@echoes/shared";
import type { Database } from "../client";
import { run, statement } from "../statement";

export interface MoveResult {
  from: string;
  to: string;
  staminaCost: number;
  stamina: number;
  /** Statistics event recorded with the move. */
  eventKey: string;
}

const moveStatement = statement<{ from: string; to: string; staminaCost: number; stamina: number }, [playerId: number, direction: string, eventKey: string]>(
  "move_player",
  `with moved as (
     update players p
     set location_id = x.to_id, stamina = p.stamina - x.stamina_cost, updated_at = now()
     from location_exits x
     where p.id = $1 and x.from_id = p.location_id and x.direction = $2
       and p.alive and p.combat_id is null and p.stamina >= x.stamina_cost
     returning p.id, x.from_id as "from", x.to_id as "to", x.stamina_cost as "staminaCost", p.stamina
   ), event as (
     insert into stat_events (event_key, player_id, deltas)
     select $3, id, '{"distanceTravelled": 1}'::jsonb from moved
   )
   select "from", "to", "staminaCost", stamina from moved`,
);

const whyNotStatement = statement<{ alive: boolean; inCombat: boolean; stamina: number; staminaCost: number | null }, [playerId: number, direction: string]>(
  "move_refusal",
  `select p.alive, p.combat_id is not null as "inCombat", p.stamina, x.stamina_cost as "staminaCost"
   from players p left join location_exits x on x.from_id = p.location_id and x.direction = $2
   where p.id = $1`,
);

/**
 * Moves a player through an exit in one statement (the player row is the lock, so a move and a
 * fight start cannot both win). Throws the game's refusal when the move is not allowed.
 */
export async function movePlayer(database: Database, playerId: number, direction: string): Promise<MoveResult> {
  const eventKey = `move-${randomUUID()}`;
  const rows = await run(database, database.primary, moveStatement, [playerId, direction, eventKey]);
  if (rows[0]) return { ...rows[0], eventKey };

  const [why] = await run(database, database.primary, whyNotStatement, [playerId, direction]);
  if (!why) throw new GameError("unauthorized", "This player no longer exists.");
  if (!why.alive) throw new GameError("dead", "You are dead. Wait to be brought back at Cinderhold.");
  if (why.inCombat) throw new GameError("in_combat", "You cannot walk away from a fight; flee instead.");
  if (why.staminaCost === null) throw new GameError("no_exit", `There is no way ${direction} from here.`);
  if (why.stamina < why.staminaCost) {
    throw new GameError("no_stamina", `Going ${direction} takes ${why.staminaCost} stamina; you have ${why.stamina}.`, {
      required: why.staminaCost,
      stamina: why.stamina,
    });
  }
  throw new GameError("conflict", "Something else moved you first; look around and try again.");
}
