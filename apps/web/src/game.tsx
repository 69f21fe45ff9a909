import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  ApiError,
  type Combat,
  type CombatAction,
  type Exit,
  type GameApi,
  type Inventory,
  type ItemDef,
  type Job,
  type LocationView,
  type Player,
  type Stats,
  type TurnRecord,
} from "./api";
import { Gauge } from "./controls";
import { type FeedStatus, TurnFeed } from "./events";
import { type Fight, FightPanel, type TurnEntry } from "./fight";
import { HerePanel } from "./here";
import { LeaderboardPanel, PackPanel, StatsPanel } from "./panels";
import { explain } from "./words";

export interface Notice {
  kind: "error" | "info";
  text: string;
}

/** How long to keep looking for a won fight's loot, which the loot worker drops a moment after the kill. */
const LOOT_WAIT_MS = 10_000;
/** The world moves on by itself (enemies roam, others come and go): the view is refreshed this often while idle. */
const IDLE_REFRESH_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entryOf(turn: number, action: string, job: Pick<Job, "state" | "result">): TurnEntry {
  const result = job.result;
  if (job.state === "failed" || (result && "error" in result)) {
    return { turn, action, lines: [result && "message" in result ? result.message : "This turn could not be resolved."] };
  }
  return { turn, action, lines: (result as TurnRecord | undefined)?.events.map((e) => e.text) ?? [] };
}

function fightOf(combat: Combat): Fight {
  return {
    id: combat.id,
    status: combat.status,
    enemyName: combat.enemy.name,
    enemyHp: combat.enemy.hp ?? 0,
    enemyMaxHp: combat.enemy.maxHp ?? 0,
    turns: combat.log.filter((t) => t.result !== null).map((t) => entryOf(t.turn, t.action, { state: t.state as Job["state"], result: t.result ?? undefined })),
  };
}

/** The signed-in game: where the player is, what they carry, their fight, their standing. */
export function Game({ api, onSignOut }: { api: GameApi; onSignOut: () => void }) {
  const [me, setMe] = useState<Player | null>(null);
  const [here, setHere] = useState<LocationView | null>(null);
  const [pack, setPack] = useState<Inventory | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [items, setItems] = useState<ReadonlyMap<string, ItemDef>>(new Map());
  const [fight, setFight] = useState<Fight | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [feedStatus, setFeedStatus] = useState<FeedStatus>("connecting");
  const feed = useMemo(() => new TurnFeed(api, setFeedStatus), [api]);
  const hereRef = useRef(here);
  hereRef.current = here;
  /** The key of an action whose answer never came: sent again with the retry, so the server applies it once. */
  const retryKey = useRef<{ action: string; key: string } | null>(null);

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  const refreshMe = useCallback(() => api.me().then(setMe), [api]);
  const refreshHere = useCallback(async () => {
    const view = await api.location();
    setHere(view);
    return view;
  }, [api]);
  const refreshPack = useCallback(() => api.inventory().then(setPack), [api]);
  const refreshStats = useCallback(() => api.stats().then(setStats), [api]);

  /** Runs one player action: one at a time, its refusal shown in words, nothing on the page thrown away. */
  const run = useCallback(async (work: () => Promise<string | null>) => {
    if (busy) return;
    setBusy(true);
    // What the last action said no longer holds once another one starts.
    setNotice(null);
    try {
      const done = await work();
      setNotice(done ? { kind: "info", text: done } : null);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setNotice({ kind: "error", text: explain(err) });
    } finally {
      setBusy(false);
    }
  }, [busy]);

  const loadFight = useCallback(async () => {
    const combat = await api.combat();
    setFight(fightOf(combat));
    const waiting = combat.log.find((t) => t.result === null);
    if (waiting) return waiting.jobId;
    return null;
  }, [api]);

  // Everything the page shows, once at the start; a fight in progress is picked up where it was.
  useEffect(() => {
    void (async () => {
      try {
        const [player] = await Promise.all([
          api.me(),
          refreshHere(),
          refreshPack(),
          refreshStats(),
          api.items().then((all) => setItems(new Map(all.items.map((i) => [i.id, i])))),
        ]);
        setMe(player);
        if (player.inCombat) {
          const waiting = await loadFight();
          if (waiting) await feed.wait(waiting).then(() => loadFight());
        }
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 401)) setNotice({ kind: "error", text: explain(err) });
      }
    })();
  }, [api, feed, loadFight, refreshHere, refreshPack, refreshStats]);

  // Statistics are counted by a worker a moment after the fact: look again until nothing is pending.
  useEffect(() => {
    if (!stats || stats.pendingEvents === 0) return;
    const timer = setTimeout(() => void refreshStats().catch(() => undefined), 1_000);
    return () => clearTimeout(timer);
  }, [stats, refreshStats]);

  useEffect(() => {
    if (busy || fight?.status === "active") return;
    const timer = setInterval(() => void refreshHere().catch(() => undefined), IDLE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [busy, fight, refreshHere]);

  const move = (direction: Exit["direction"], toName: string) =>
    run(async () => {
      await api.move(direction);
      setFight(null);
      await Promise.all([refreshHere(), refreshMe()]);
      return `You go ${direction} to ${toName}.`;
    });

  const pickUp = (stackIds: number[]) =>
    run(async () => {
      const picked = await api.pickUp(stackIds);
      await Promise.all([refreshHere(), refreshPack(), refreshStats()]);
      const names = picked.items.map((i) => `${items.get(i.itemId)?.name ?? i.itemId} ×${i.quantity}`);
      return `You pick up ${names.join(", ")}.`;
    });

  const drop = (itemId: string, quantity: number, name: string) =>
    run(async () => {
      await api.drop(itemId, quantity);
      await Promise.all([refreshHere(), refreshPack()]);
      return `You drop ${name} ×${quantity}.`;
    });

  const use = (itemId: string, name: string) =>
    run(async () => {
      const used = await api.use(itemId);
      await Promise.all([refreshMe(), refreshPack()]);
      return used.effect === "equipped" ? `You equip the ${name}.` : `You use the ${name}.`;
    });

  const engage = (enemyId: number, name: string) =>
    run(async () => {
      await api.engage(enemyId);
      await Promise.all([loadFight(), refreshMe(), refreshHere()]);
      return `You square up to the ${name}.`;
    });

  /** After a win the loot worker drops the spoils a moment later: look until new stacks lie on the ground. */
  const awaitLoot = async (before: ReadonlySet<number>) => {
    const until = Date.now() + LOOT_WAIT_MS;
    for (let delay = 300; Date.now() < until; delay = Math.min(delay * 2, 2_000)) {
      const view = await refreshHere();
      if (view.items.some((s) => !before.has(s.id))) return;
      await sleep(delay);
    }
  };

  const act = (action: CombatAction) =>
    run(async () => {
      const name = action.action === "use" ? `use:${action.itemId}` : action.action;
      const key = retryKey.current?.action === name ? retryKey.current.key : crypto.randomUUID();
      let accepted: { jobId: string; turn: number };
      try {
        accepted = await api.act(action, key);
        retryKey.current = null;
      } catch (err) {
        retryKey.current = err instanceof ApiError && (err.status === 0 || err.status >= 500) ? { action: name, key } : null;
        throw err;
      }
      const groundBefore = new Set(hereRef.current?.items.map((s) => s.id) ?? []);
      const job = await feed.wait(accepted.jobId);
      const entry = entryOf(accepted.turn, action.action, job);
      const record = job.state === "completed" && job.result && !("error" in job.result) ? job.result : null;
      setFight((f) =>
        f
          ? {
              ...f,
              turns: [...f.turns, entry],
              enemyHp: record ? record.enemy.hp : f.enemyHp,
              status: record && record.outcome !== "ongoing" && record.outcome !== "void" ? record.outcome : f.status,
            }
          : f,
      );
      if (record) setMe((m) => (m ? { ...m, hp: record.player.hp, stamina: record.player.stamina } : m));
      const ended = record !== null && record.outcome !== "ongoing";
      await Promise.all([refreshMe(), action.action === "use" ? refreshPack() : null, ended ? refreshStats() : null]);
      if (ended) {
        if (record.outcome === "won") await awaitLoot(groundBefore);
        else await refreshHere();
      }
      return null;
    });

  if (!me || !here) {
    return (
      <main class="loading" aria-busy="true">
        <h1>Echoes of the Ashes</h1>
        <p role="status">{notice?.text ?? "Finding your way back…"}</p>
      </main>
    );
  }

  const fighting = fight?.status === "active";
  return (
    <div class="game">
      <header class="status-bar">
        <p class="brand">Echoes of the Ashes</p>
        <div class="who">
          <span class="name">{me.username}</span> <span class="level">Level {me.level}</span> <span class="xp">{me.xp} XP</span>
        </div>
        <Gauge id="my-hp" label="HP" value={me.hp} max={me.maxHp} kind="hp" />
        <Gauge id="my-stamina" label="Stamina" value={me.stamina} max={me.maxStamina} kind="stamina" />
        <Effects player={me} />
        <button type="button" class="quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div class="columns">
        <main aria-busy={busy}>
          <h1>{here.location.name}</h1>
          <Notices notice={notice} alive={me.alive} />
          {fight && (
            <FightPanel
              fight={fight}
              me={me}
              pack={pack}
              busy={busy}
              live={feedStatus}
              onAct={act}
              onClose={() => {
                setFight(null);
                setNotice(null);
              }}
            />
          )}
          {!fighting && <HerePanel here={here} me={me} items={items} busy={busy} onMove={move} onPickUp={pickUp} onEngage={engage} />}
        </main>
        <aside aria-label="Pack and standings">
          <PackPanel pack={pack} items={items} busy={busy} fighting={fighting} onUse={use} onDrop={drop} />
          <StatsPanel stats={stats} onRefresh={() => void refreshStats().catch((err: unknown) => setNotice({ kind: "error", text: explain(err) }))} />
          <LeaderboardPanel api={api} me={me} />
        </aside>
      </div>
    </div>
  );
}

function Effects({ player }: { player: Player }) {
  if (player.statusEffects.length === 0) return <p class="effects none">No status effects</p>;
  return (
    <ul class="effects" aria-label="Status effects">
      {player.statusEffects.map((e) => (
        <li key={e.id} class="effect">
          {e.name} <span class="ticks">({e.remainingTicks} ticks)</span>
        </li>
      ))}
    </ul>
  );
}

function Notices({ notice, alive }: { notice: Notice | null; alive: boolean }) {
  return (
    <>
      {!alive && <p class="dead">You are dead. The wasteland will spit you back out at Cinderhold shortly.</p>}
      <p role="alert" class="error">
        {notice?.kind === "error" ? notice.text : null}
      </p>
      <p role="status" class="info">
        {notice?.kind === "info" ? notice.text : null}
      </p>
    </>
  );
}
