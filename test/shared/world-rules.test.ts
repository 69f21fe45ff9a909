import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ENEMY_TYPES,
  LOCATIONS,
  RESTING_HP_FLOOR,
  STAMINA_REGEN_PER_TICK,
  STATUS_EFFECTS,
  WORLD,
  deathPenalty,
  keyedRng,
  planRoams,
  planSpawns,
  restStamina,
  restingEffects,
  revive,
  scatterGroundLoot,
  spawnableAt,
  targetPopulation,
} from "@echoes/shared";

/** A fixed key standing for a deployment's secret. */
const KEY = Buffer.alloc(32, 7);
const keys = fc.uint8Array({ minLength: 32, maxLength: 32 });
const dangerous = WORLD.locations.filter((l) => l.dangerLevel > 0);

describe("world rules: spawning", () => {
  it("a fixed key fills empty places with the written-out enemies", () => {
    const places = dangerous.slice(0, 4).map((l) => ({ locationId: l.id, dangerLevel: l.dangerLevel, alive: 0 }));
    const spawns = planSpawns(places, WORLD.enemyTypes, (id) => keyedRng(KEY, `respawn-enemies:1000:${id}`));
    assert.deepEqual(
      spawns.map((s) => `${s.locationId}:${s.enemyTypeId}:${s.hp}`),
      [
        "dust-road:desperate-scavenger:20",
        "dust-road:giant-roach:8",
        "withered-orchard:feral-dog:22",
        "withered-orchard:desperate-scavenger:20",
        "abandoned-farmhouse:desperate-scavenger:20",
        "abandoned-farmhouse:giant-roach:8",
        "farmhouse-cellar:mutated-rat:12",
        "farmhouse-cellar:giant-roach:8",
      ],
    );
  });

  it("property: fills exactly each place's gap, with types that live at its danger, at full HP; safe havens stay empty", () => {
    const population = fc.array(fc.record({ place: fc.constantFrom(...WORLD.locations), alive: fc.integer({ min: 0, max: 7 }) }), { maxLength: 12 });
    fc.assert(
      fc.property(keys, population, (key, entries) => {
        const places = [...new Map(entries.map((e) => [e.place.id, { locationId: e.place.id, dangerLevel: e.place.dangerLevel, alive: e.alive }])).values()];
        const spawns = planSpawns(places, WORLD.enemyTypes, (id) => keyedRng(key, `spawn:${id}`));
        for (const place of places) {
          const here = spawns.filter((s) => s.locationId === place.locationId);
          assert.equal(here.length, Math.max(0, targetPopulation(place.dangerLevel) - place.alive), place.locationId);
          const allowed = new Set(spawnableAt(place.dangerLevel, WORLD.enemyTypes).map((t) => t.id));
          for (const s of here) {
            assert.ok(allowed.has(s.enemyTypeId), `${s.enemyTypeId} at danger ${place.dangerLevel}`);
            assert.equal(s.hp, ENEMY_TYPES.get(s.enemyTypeId)!.maxHp);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("two deployments (two keys) fill the same world differently", () => {
    const places = dangerous.map((l) => ({ locationId: l.id, dangerLevel: l.dangerLevel, alive: 0 }));
    const fill = (key: Uint8Array) => planSpawns(places, WORLD.enemyTypes, (id) => keyedRng(key, `respawn-enemies:1000:${id}`)).map((s) => s.enemyTypeId);
    assert.notDeepEqual(fill(Buffer.alloc(32, 1)), fill(Buffer.alloc(32, 2)));
  });
});

describe("world rules: roaming", () => {
  const world = { locations: LOCATIONS, enemyTypes: ENEMY_TYPES };

  it("a fixed key moves the written-out roaches", () => {
    const idle = [1, 2, 3, 4, 5, 6, 7, 8].map((enemyId) => ({ enemyId, enemyTypeId: "giant-roach", locationId: "dust-road" }));
    assert.deepEqual(
      planRoams(idle, world, (id) => keyedRng(KEY, `roam-enemies:1000:${id}`)),
      [{ enemyId: 6, from: "dust-road", to: "withered-orchard" }],
    );
  });

  it("property: an enemy roams only through an exit of its place, into ground as dangerous as it can live in", () => {
    const idle = fc
      .array(
        fc.constantFrom(...WORLD.enemyTypes).chain((type) =>
          fc.constantFrom(...WORLD.locations.filter((l) => l.dangerLevel >= type.minDanger && l.dangerLevel <= type.maxDanger)).map((l) => ({
            enemyTypeId: type.id,
            locationId: l.id,
          })),
        ),
        { maxLength: 30 },
      )
      .map((list) => list.map((e, i) => ({ ...e, enemyId: i + 1 })));
    fc.assert(
      fc.property(keys, idle, (key, enemies) => {
        for (const roam of planRoams(enemies, world, (id) => keyedRng(key, `roam:${id}`))) {
          const type = ENEMY_TYPES.get(enemies.find((e) => e.enemyId === roam.enemyId)!.enemyTypeId)!;
          assert.ok(
            LOCATIONS.get(roam.from)!.exits.some((x) => x.to === roam.to),
            `${roam.from} -> ${roam.to} is no exit`,
          );
          const danger = LOCATIONS.get(roam.to)!.dangerLevel;
          assert.ok(danger >= type.minDanger && danger <= type.maxDanger, `${type.id} into danger ${danger}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("world rules: resting, reviving, scattered loot", () => {
  it("effects out of a fight hurt but never kill, heal, change stamina and wear down by one", () => {
    const bleeding = STATUS_EFFECTS.get("bleeding")!;
    const hurt = restingEffects({ hp: 50, maxHp: 100, stamina: 40, maxStamina: 100, effects: [{ effectId: "bleeding", remainingTicks: 2 }] }, STATUS_EFFECTS);
    assert.deepEqual(hurt, {
      hp: 50 + bleeding.hpPerTick,
      maxHp: 100,
      stamina: 40 + bleeding.staminaPerTick,
      maxStamina: 100,
      effects: [{ effectId: "bleeding", remainingTicks: 1 }],
    });
    const nearlyDead = restingEffects(
      { hp: 1, maxHp: 100, stamina: 0, maxStamina: 100, effects: [{ effectId: "poisoned", remainingTicks: 1 }] },
      STATUS_EFFECTS,
    );
    assert.deepEqual([nearlyDead.hp, nearlyDead.effects], [RESTING_HP_FLOOR, []]);
  });

  it("property: resting effects keep HP between the floor and the maximum, and stamina in range", () => {
    const ids = [...STATUS_EFFECTS.keys()];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uniqueArray(fc.constantFrom(...ids)),
        (maxHp, hpShare, maxStamina, staminaShare, effectIds) => {
          const before = {
            hp: Math.max(1, Math.round(maxHp * hpShare)),
            maxHp,
            stamina: Math.round(maxStamina * staminaShare),
            maxStamina,
            effects: effectIds.map((effectId) => ({ effectId, remainingTicks: 2 })),
          };
          const after = restingEffects(before, STATUS_EFFECTS);
          assert.ok(after.hp >= RESTING_HP_FLOOR && after.hp <= maxHp, `hp ${after.hp}`);
          assert.ok(after.stamina >= 0 && after.stamina <= maxStamina, `stamina ${after.stamina}`);
          assert.deepEqual(
            after.effects,
            effectIds.map((effectId) => ({ effectId, remainingTicks: 1 })),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a resting player regains stamina up to the maximum", () => {
    assert.equal(restStamina({ stamina: 10, maxStamina: 100 }), 10 + STAMINA_REGEN_PER_TICK);
    assert.equal(restStamina({ stamina: 99, maxStamina: 100 }), 100);
  });

  it("property: a dead player revives at the start with what deathPenalty says, and full stamina", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 400 }), (level, maxHp, maxStamina) => {
        const back = revive({ maxHp, maxStamina }, WORLD.startLocationId);
        assert.deepEqual(back, { hp: deathPenalty({ xp: 0, level, maxHp }).respawnHp, stamina: maxStamina, locationId: WORLD.startLocationId });
        assert.ok(back.hp >= 1 && back.hp <= maxHp);
      }),
      { numRuns: 300 },
    );
  });

  it("a fixed key scatters the written-out stacks: scraps in a haven, finds on dangerous ground", () => {
    const stacks = scatterGroundLoot(
      [
        { locationId: "cinderhold-square", dangerLevel: 0 },
        { locationId: "ashfall-crater-rim", dangerLevel: 4 },
      ],
      WORLD.items,
      (id) => keyedRng(KEY, `ground:${id}`),
    );
    assert.deepEqual(
      stacks.map((s) => `${s.locationId}:${s.itemId}:${s.quantity}`),
      [
        "cinderhold-square:circuit-board:4",
        "cinderhold-square:dog-tags:3",
        "cinderhold-square:spring-coil:1",
        "ashfall-crater-rim:bandage:1",
        "ashfall-crater-rim:combat-armour:1",
        "ashfall-crater-rim:combat-armour:1",
      ],
    );
  });
});
