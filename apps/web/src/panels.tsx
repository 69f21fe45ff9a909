import { useEffect, useState } from "preact/hooks";
import type { Board, GameApi, Inventory, ItemDef, Leaderboard, PackItem, Player, Stats } from "./api";
import { Action } from "./controls";
import { ItemImage } from "./here";
import { explain, kg } from "./words";

const USABLE_KINDS = new Set(["consumable", "weapon", "armour"]);

/** The pack: what the player carries, its weight, and what they can use or drop. */
export function PackPanel({
  pack,
  items,
  busy,
  fighting,
  onUse,
  onDrop,
}: {
  pack: Inventory | null;
  items: ReadonlyMap<string, ItemDef>;
  busy: boolean;
  fighting: boolean;
  onUse: (itemId: string, name: string) => void;
  onDrop: (itemId: string, quantity: number, name: string) => void;
}) {
  return (
    <section class="panel pack" aria-labelledby="pack-heading">
      <h2 id="pack-heading">Pack</h2>
      {!pack ? (
        <p class="empty">Unpacking…</p>
      ) : (
        <>
          <p class="weight">
            Weight {kg(pack.totalWeight)} of {kg(pack.maxWeight)}
          </p>
          {pack.items.length === 0 ? (
            <p class="empty">Empty.</p>
          ) : (
            <ul class="pack-items">
              {pack.items.map((item) => (
                <PackRow key={item.itemId} item={item} def={items.get(item.itemId)} busy={busy || fighting} onUse={onUse} onDrop={onDrop} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function PackRow({
  item,
  def,
  busy,
  onUse,
  onDrop,
}: {
  item: PackItem;
  def: ItemDef | undefined;
  busy: boolean;
  onUse: (itemId: string, name: string) => void;
  onDrop: (itemId: string, quantity: number, name: string) => void;
}) {
  const usable = USABLE_KINDS.has(item.kind) && !item.equipped;
  return (
    <li>
      <ItemImage item={def} />
      <span class="item-name">
        {item.name} <span class="quantity">×{item.quantity}</span>
        {item.equipped && <span class="equipped"> (equipped)</span>}
        <span class="item-weight"> {kg(item.weight * item.quantity)}</span>
      </span>
      <span class="row-actions">
        {usable && (
          <Action disabled={busy} onClick={() => onUse(item.itemId, item.name)} label={`${item.kind === "consumable" ? "Use" : "Equip (use)"} ${item.name}`}>
            {item.kind === "consumable" ? "Use" : "Equip (use)"}
          </Action>
        )}
        <Action disabled={busy} onClick={() => onDrop(item.itemId, 1, item.name)} label={`Drop one ${item.name}`}>
          Drop
        </Action>
      </span>
    </li>
  );
}

const STAT_NAMES: [keyof Stats, string][] = [
  ["kills", "Kills"],
  ["deaths", "Deaths"],
  ["damageDealt", "Damage dealt"],
  ["damageTaken", "Damage taken"],
  ["itemsLooted", "Items looted"],
  ["distanceTravelled", "Distance travelled"],
  ["xpGained", "XP gained"],
  ["levelUps", "Level-ups"],
  ["fightsFled", "Fights fled"],
];

/** The player's statistics, as the statistics worker has counted them. */
export function StatsPanel({ stats, onRefresh }: { stats: Stats | null; onRefresh: () => void }) {
  return (
    <section class="panel stats" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Statistics</h2>
      {stats && (
        <dl>
          {STAT_NAMES.map(([key, name]) => (
            <div key={key} class="stat">
              <dt>{name}</dt>
              <dd>{stats[key]}</dd>
            </div>
          ))}
        </dl>
      )}
      <p class="hint" aria-live="polite">
        {stats && stats.pendingEvents > 0 ? `Counting ${stats.pendingEvents} recent event${stats.pendingEvents === 1 ? "" : "s"}…` : ""}
      </p>
      <button type="button" class="quiet" onClick={onRefresh}>
        Refresh statistics
      </button>
    </section>
  );
}

const BOARDS: [Board, string][] = [
  ["kills", "Kills"],
  ["xp", "XP"],
  ["level", "Level"],
];

/** The leaderboards, one at a time. */
export function LeaderboardPanel({ api, me }: { api: GameApi; me: Player }) {
  const [by, setBy] = useState<Board>("kills");
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    api.leaderboard(by).then(
      (b) => {
        if (!current) return;
        setBoard(b);
        setError(null);
      },
      (err: unknown) => current && setError(explain(err)),
    );
    return () => {
      current = false;
    };
  }, [api, by, version]);

  return (
    <section class="panel leaderboard" aria-labelledby="board-heading">
      <h2 id="board-heading">Leaderboard</h2>
      <fieldset class="row">
        <legend>Rank by</legend>
        {BOARDS.map(([key, name]) => (
          <button key={key} type="button" aria-pressed={by === key} onClick={() => (by === key ? setVersion((v) => v + 1) : setBy(key))}>
            {name}
          </button>
        ))}
      </fieldset>
      {error && <p class="error">{error}</p>}
      {board && board.by === by && (
        <ol class="board">
          {board.entries.length === 0 && <li class="empty">No one has made a name yet.</li>}
          {board.entries.map((e) => (
            <li key={e.playerId} class={e.playerId === me.id ? "me" : undefined}>
              <span class="rank">{e.rank}.</span> <span class="who">{e.username}</span> <span class="value">{e.value}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
