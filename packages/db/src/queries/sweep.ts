import type { Database } from "../client";
import { run, statement } from "../statement";

const staleActions = statement<{ actionId: number; combatId: number; turn: number; playerId: number }, [olderThanS: number, limit: number]>(
  "stale_combat_actions",
  `select id as "actionId", combat_id as "combatId", turn, player_id as "playerId"
   from combat_actions where status = 'accepted' and accepted_at < now() - make_interval(secs => $1)
   order by accepted_at limit $2`,
);

const staleEvents = statement<{ eventKey: string }, [olderThanS: number, limit: number]>(
  "stale_stat_events",
  `select event_key as "eventKey" from stat_events where applied_at is null and created_at < now() - make_interval(secs => $1)
   order by created_at limit $2`,
);

const staleLoot = statement<{ combatId: number; enemyId: number }, [olderThanS: number, limit: number]>(
  "stale_loot",
  `select id as "combatId", enemy_id as "enemyId" from active_combats
   where status = 'won' and loot_rolled_at is null and ended_at < now() - make_interval(secs => $1) and enemy_id is not null
   order by ended_at limit $2`,
);

// An email nobody tried yet (queued by the API a moment ago, or written by a statement that queues
// nothing, like a death in a fight) is looked at once it is a second old; one in its backoff once
// its next try is overdue by the sweep delay.
const staleEmails = statement<{ outboxId: number }, [olderThanS: number, limit: number]>(
  "stale_emails",
  `select id as "outboxId" from email_outbox
   where sent_at is null and failed_at is null
     and next_attempt_at < now() - interval '1 second' and (attempts = 0 or next_attempt_at < now() - make_interval(secs => $1))
   order by next_attempt_at limit $2`,
);

export interface StaleWork {
  actions: { actionId: number; combatId: number; turn: number; playerId: number }[];
  statEvents: { eventKey: string }[];
  loot: { combatId: number; enemyId: number }[];
  emails: { outboxId: number }[];
}

/**
 * Work that PostgreSQL says was accepted but that no job has finished after `olderThanS`
 * seconds: combat actions without a result, statistics events not applied, kills not looted,
 * emails not sent.
 */
export async function findStaleWork(database: Database, olderThanS: number, limit: number): Promise<StaleWork> {
  const [actions, statEvents, loot, emails] = await Promise.all([
    run(database, database.primary, staleActions, [olderThanS, limit]),
    run(database, database.primary, staleEvents, [olderThanS, limit]),
    run(database, database.primary, staleLoot, [olderThanS, limit]),
    run(database, database.primary, staleEmails, [olderThanS, limit]),
  ]);
  return { actions, statEvents, loot, emails };
}
