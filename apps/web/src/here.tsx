import type { Exit, ItemDef, LocationView, Player } from "./api";
import { Action } from "./controls";
import { DANGER_NAMES } from "./words";

/** Where the player stands: the place, its exits, what lies on the ground, who else is here. */
export function HerePanel({
  here,
  me,
  items,
  busy,
  onMove,
  onPickUp,
  onEngage,
}: {
  here: LocationView;
  me: Player;
  items: ReadonlyMap<string, ItemDef>;
  busy: boolean;
  onMove: (direction: Exit["direction"], toName: string) => void;
  onPickUp: (stackIds: number[]) => void;
  onEngage: (enemyId: number, name: string) => void;
}) {
  const { location, exits, enemies } = here;
  const others = here.players.filter((p) => p.id !== me.id);
  return (
    <>
      <p class={`danger danger-${location.dangerLevel}`}>
        Danger {location.dangerLevel} of 5: {DANGER_NAMES[location.dangerLevel] ?? "Unknown"}
      </p>
      <p class="description">{location.description}</p>

      <section aria-labelledby="exits-heading">
        <h2 id="exits-heading">Exits</h2>
        <ul class="exits">
          {exits.map((exit) => (
            <li key={exit.direction}>
              <Action disabled={busy} onClick={() => onMove(exit.direction, exit.toName)}>
                Go {exit.direction} to {exit.toName} <span class="cost">{exit.staminaCost} stamina</span>
              </Action>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="ground-heading">
        <h2 id="ground-heading">On the ground</h2>
        {here.items.length === 0 ? (
          <p class="empty">Nothing but ash.</p>
        ) : (
          <>
            <ul class="ground">
              {here.items.map((stack) => (
                <li key={stack.id}>
                  <ItemImage item={items.get(stack.itemId)} />
                  <span class="item-name">
                    {stack.name} <span class="quantity">×{stack.quantity}</span>
                  </span>
                  <Action disabled={busy} onClick={() => onPickUp([stack.id])} label={`Pick up ${stack.name} ×${stack.quantity}`}>
                    Pick up
                  </Action>
                </li>
              ))}
            </ul>
            {here.items.length > 1 && (
              <Action disabled={busy} class="primary" onClick={() => onPickUp(here.items.slice(0, 50).map((s) => s.id))}>
                Pick up all {Math.min(here.items.length, 50)}
              </Action>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="enemies-heading">
        <h2 id="enemies-heading">Enemies</h2>
        {enemies.length === 0 ? (
          <p class="empty">No one hostile in sight.</p>
        ) : (
          <ul class="enemies">
            {enemies.map((enemy) => (
              <li key={enemy.id}>
                <span class="enemy-name">
                  {enemy.name}{" "}
                  <span class="figure">
                    {enemy.hp} / {enemy.maxHp} HP
                  </span>
                  {enemy.inCombat && <span class="busy"> (fighting someone)</span>}
                </span>
                <Action disabled={busy || enemy.inCombat} class="danger-button" onClick={() => onEngage(enemy.id, enemy.name)} label={`Fight ${enemy.name}`}>
                  Fight
                </Action>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="players-heading">
        <h2 id="players-heading">Survivors here</h2>
        {others.length === 0 ? (
          <p class="empty">You are alone.</p>
        ) : (
          <ul class="players">
            {others.map((p) => (
              <li key={p.id}>{p.username}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** An item's picture; decorative (the name is next to it). */
export function ItemImage({ item }: { item: ItemDef | undefined }) {
  if (!item?.imageUrl) return <span class="item-image" aria-hidden="true" />;
  return <img class="item-image" src={item.imageUrl} alt="" width={28} height={28} />;
}
