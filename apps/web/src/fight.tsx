import type { CombatAction, Inventory, Player } from "./api";
import { Action, Gauge } from "./controls";
import type { FeedStatus } from "./events";

export interface TurnEntry {
  turn: number;
  action: string;
  lines: string[];
}

export interface Fight {
  id: number;
  status: "active" | "won" | "lost" | "fled";
  enemyName: string;
  enemyHp: number;
  enemyMaxHp: number;
  turns: TurnEntry[];
}

const ENDINGS: Record<Fight["status"], string> = {
  active: "The fight goes on.",
  won: "You won the fight.",
  lost: "You lost the fight.",
  fled: "You got away.",
};

const FEED_WORDS: Record<FeedStatus, string> = {
  live: "Live: turns arrive as they are resolved.",
  connecting: "Connecting to the live feed…",
  down: "Live feed lost: checking each turn by asking the server.",
};

/** A fight: both sides' HP, the player's effects, the actions of this turn and the turn log. */
export function FightPanel({
  fight,
  me,
  pack,
  busy,
  live,
  onAct,
  onClose,
}: {
  fight: Fight;
  me: Player;
  pack: Inventory | null;
  busy: boolean;
  live: FeedStatus;
  onAct: (action: CombatAction) => void;
  onClose: () => void;
}) {
  const active = fight.status === "active";
  const usable = pack?.items.filter((i) => i.kind === "consumable") ?? [];
  return (
    <section class="fight" aria-labelledby="fight-heading">
      <h2 id="fight-heading">Fight: {fight.enemyName}</h2>
      <div class="sides">
        <div class="side">
          <Gauge id="fight-my-hp" label="Your HP" value={me.hp} max={me.maxHp} kind="hp" />
          {me.statusEffects.length > 0 && (
            <p class="side-effects">
              You are{" "}
              {me.statusEffects
                .map((e) => e.name.toLowerCase())
                .join(", ")
                .replace(/, ([^,]*)$/, " and $1")}
              .
            </p>
          )}
        </div>
        <div class="side">
          <Gauge id="fight-enemy-hp" label={`${fight.enemyName} HP`} value={fight.enemyHp} max={fight.enemyMaxHp} kind="enemy" />
        </div>
      </div>
      {active ? (
        <div class="fight-actions">
          <Action class="primary" disabled={busy} onClick={() => onAct({ action: "attack" })}>
            Attack
          </Action>
          {usable.map((item) => (
            <Action key={item.itemId} disabled={busy} onClick={() => onAct({ action: "use", itemId: item.itemId })}>
              Use {item.name} <span class="quantity">×{item.quantity}</span>
            </Action>
          ))}
          <Action disabled={busy} onClick={() => onAct({ action: "flee" })}>
            Flee
          </Action>
        </div>
      ) : (
        <div class="fight-over">
          <p class={`outcome ${fight.status}`}>{ENDINGS[fight.status]}</p>
          <button type="button" onClick={onClose}>
            Close the fight log
          </button>
        </div>
      )}
      <p class="feed">{busy && active ? "Resolving the turn…" : FEED_WORDS[live]}</p>
      <h3 id="log-heading">Turn log</h3>
      <div role="log" aria-labelledby="log-heading" class="turn-log">
        {fight.turns.length === 0 ? (
          <p class="empty">No blows yet.</p>
        ) : (
          <ol>
            {fight.turns.map((t) => (
              <li key={t.turn} class="turn">
                <span class="turn-number">
                  Turn {t.turn} · {t.action}
                </span>
                {t.lines.map((line, i) => (
                  <span key={i} class="line">
                    {line}
                  </span>
                ))}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
