import type { Direction, World } from "./schema";

export const OPPOSITE: Record<Direction, Direction> = {
  north: "south",
  south: "north",
  east: "west",
  west: "east",
  northeast: "southwest",
  southwest: "northeast",
  northwest: "southeast",
  southeast: "northwest",
  up: "down",
  down: "up",
  in: "out",
  out: "in",
};

/** Location ids reachable from `from` by following exits. */
export function reachableFrom(world: Pick<World, "locations">, from: string): Set<string> {
  const byId = new Map(world.locations.map((l) => [l.id, l]));
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const here = byId.get(queue.shift()!);
    for (const exit of here?.exits ?? []) {
      if (!seen.has(exit.to)) {
        seen.add(exit.to);
        queue.push(exit.to);
      }
    }
  }
  return seen;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    if (seen.has(id)) return true;
    seen.add(id);
    return false;
  });
}

/**
 * Checks what the schema cannot: that every reference names something real, that the map is
 * one connected, two-way graph reachable from the start, and that every dangerous place can
 * be populated. Returns the problems found; an empty list means the world is sound.
 */
export function worldProblems(world: World): string[] {
  const problems: string[] = [];
  const locations = new Map(world.locations.map((l) => [l.id, l]));
  const items = new Map(world.items.map((i) => [i.id, i]));
  const effects = new Set(world.statusEffects.map((e) => e.id));

  for (const [kind, ids] of [
    ["location", world.locations.map((l) => l.id)],
    ["item", world.items.map((i) => i.id)],
    ["enemy type", world.enemyTypes.map((e) => e.id)],
    ["status effect", world.statusEffects.map((e) => e.id)],
  ] as const) {
    for (const dup of duplicates(ids)) problems.push(`duplicate ${kind} id ${dup}`);
  }

  if (!locations.has(world.startLocationId)) problems.push(`start location ${world.startLocationId} does not exist`);
  else if (locations.get(world.startLocationId)!.dangerLevel !== 0) problems.push("the start location must be safe (danger 0)");

  for (const loc of world.locations) {
    for (const dir of duplicates(loc.exits.map((e) => e.direction))) problems.push(`${loc.id} has two exits ${dir}`);
    for (const exit of loc.exits) {
      const target = locations.get(exit.to);
      if (!target) {
        problems.push(`${loc.id} exit ${exit.direction} leads to missing location ${exit.to}`);
        continue;
      }
      if (exit.to === loc.id) problems.push(`${loc.id} exit ${exit.direction} leads back to itself`);
      const back = target.exits.find((e) => e.direction === OPPOSITE[exit.direction]);
      if (!back || back.to !== loc.id) problems.push(`${exit.to} has no ${OPPOSITE[exit.direction]} exit back to ${loc.id}`);
      else if (back.staminaCost !== exit.staminaCost) problems.push(`${loc.id} <-> ${exit.to} costs differ (${exit.staminaCost} vs ${back.staminaCost})`);
    }
  }

  if (locations.has(world.startLocationId)) {
    const reached = reachableFrom(world, world.startLocationId);
    for (const loc of world.locations) if (!reached.has(loc.id)) problems.push(`${loc.id} cannot be reached from the start`);
  }

  for (const item of world.items) {
    if (item.kind === "weapon" && item.weapon.inflicts && !effects.has(item.weapon.inflicts.effectId)) {
      problems.push(`weapon ${item.id} inflicts unknown effect ${item.weapon.inflicts.effectId}`);
    }
    if (item.kind === "consumable") {
      for (const cure of item.consumable.cures) if (!effects.has(cure)) problems.push(`consumable ${item.id} cures unknown effect ${cure}`);
      if (item.consumable.applies && !effects.has(item.consumable.applies))
        problems.push(`consumable ${item.id} applies unknown effect ${item.consumable.applies}`);
    }
  }

  for (const enemy of world.enemyTypes) {
    if (enemy.inflicts && !effects.has(enemy.inflicts.effectId)) problems.push(`enemy ${enemy.id} inflicts unknown effect ${enemy.inflicts.effectId}`);
    for (const entry of enemy.loot) if (!items.has(entry.itemId)) problems.push(`enemy ${enemy.id} drops unknown item ${entry.itemId}`);
  }

  for (const level of new Set(world.locations.map((l) => l.dangerLevel))) {
    if (level === 0) continue;
    if (!world.enemyTypes.some((e) => e.minDanger <= level && level <= e.maxDanger)) problems.push(`no enemy type can spawn at danger level ${level}`);
  }

  for (const entry of world.starterKit) if (!items.has(entry.itemId)) problems.push(`starter kit names unknown item ${entry.itemId}`);
  return problems;
}
