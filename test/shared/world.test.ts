import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ENEMY_TYPES, ITEMS, LOCATIONS, OPPOSITE, WORLD, loadWorld, reachableFrom, spawnableAt, worldProblems } from "@echoes/shared";

describe("the world data", () => {
  it("is big enough to be a real game", () => {
    assert.ok(WORLD.locations.length >= 30, `${WORLD.locations.length} locations`);
    assert.ok(WORLD.items.length >= 40, `${WORLD.items.length} items`);
    assert.ok(WORLD.enemyTypes.length >= 10, `${WORLD.enemyTypes.length} enemy types`);
    assert.ok(WORLD.statusEffects.length >= 5, `${WORLD.statusEffects.length} status effects`);
    for (const kind of ["weapon", "armour", "consumable", "material", "junk"]) {
      assert.ok(
        WORLD.items.some((i) => i.kind === kind),
        `has a ${kind}`,
      );
    }
  });

  it("has no problems the validator can find", () => {
    assert.deepEqual(worldProblems(WORLD), []);
  });

  it("every exit leads to a real location, and back", () => {
    for (const loc of WORLD.locations) {
      for (const exit of loc.exits) {
        const target = LOCATIONS.get(exit.to);
        assert.ok(target, `${loc.id} ${exit.direction} -> ${exit.to}`);
        assert.ok(
          target.exits.some((back) => back.to === loc.id && back.direction === OPPOSITE[exit.direction]),
          `${exit.to} leads back to ${loc.id}`,
        );
      }
    }
  });

  it("every location is reachable from the start, and the start is safe", () => {
    const reached = reachableFrom(WORLD, WORLD.startLocationId);
    assert.equal(reached.size, WORLD.locations.length);
    assert.equal(LOCATIONS.get(WORLD.startLocationId)?.dangerLevel, 0);
  });

  it("every loot entry and effect reference names something real", () => {
    for (const enemy of WORLD.enemyTypes) {
      for (const entry of enemy.loot) assert.ok(ITEMS.has(entry.itemId), `${enemy.id} drops ${entry.itemId}`);
    }
    for (const kit of WORLD.starterKit) assert.ok(ITEMS.has(kit.itemId));
  });

  it("every dangerous place can be populated", () => {
    for (const loc of WORLD.locations.filter((l) => l.dangerLevel > 0)) {
      assert.ok(spawnableAt(loc.dangerLevel, [...ENEMY_TYPES.values()]).length > 0, loc.id);
    }
  });

  it("the loader rejects unsound data with every problem listed", () => {
    const broken = structuredClone(WORLD) as any;
    broken.locations[0].exits.push({ direction: "down", to: "nowhere-at-all", staminaCost: 3 });
    broken.enemyTypes[0].loot.push({ itemId: "unicorn-horn", chance: 0.5, min: 1, max: 1 });
    assert.throws(
      () => loadWorld(broken),
      (err: Error) => /nowhere-at-all/.test(err.message) && /unicorn-horn/.test(err.message),
    );
    const lorem = structuredClone(WORLD) as any;
    lorem.items[0].weight = -1;
    assert.throws(() => loadWorld(lorem));
  });
});
