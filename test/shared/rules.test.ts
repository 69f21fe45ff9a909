import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ENEMY_TYPES,
  FISTS,
  ITEMS,
  STATUS_EFFECTS,
  type EnemySide,
  type PlayerSide,
  type TurnAction,
  asArmour,
  asConsumable,
  asWeapon,
  damageRoll,
  deathPenalty,
  fleeChance,
  gainXp,
  hitChance,
  levelForXp,
  resolveTurn,
  rollLoot,
  keyedRng,
  settleTurn,
  tickEffects,
  xpForLevel,
} from "@echoes/shared";

const rat = ENEMY_TYPES.get("mutated-rat")!;
const warlord = ENEMY_TYPES.get("raider-warlord")!;
const pipe = asWeapon(ITEMS.get("rusty-pipe"))!;
const jacket = asArmour(ITEMS.get("leather-jacket"))!;

const newPlayer = (over: Partial<PlayerSide> = {}): PlayerSide => ({
  hp: 100,
  maxHp: 100,
  stamina: 100,
  maxStamina: 100,
  level: 1,
  effects: [],
  weapon: pipe,
  armour: jacket,
  ...over,
});
const enemyOf = (type = rat, over: Partial<EnemySide> = {}): EnemySide => ({ hp: type.maxHp, maxHp: type.maxHp, effects: [], type, ...over });

/** A fixed key standing for a fight's secret seed, so that the golden tests below can write out what it rolls. */
const KEY = Buffer.alloc(32, 7);
const rng = (label: string, key: Uint8Array = KEY) => keyedRng(key, label);

describe("keyed randomness", () => {
  it("rolls a written-out sequence for a fixed key and label", () => {
    const r = rng("turn:1");
    assert.deepEqual([r.next(), r.next(), r.next(), r.next()], [0.9334488655440509, 0.7733308474998921, 0.7001969963312149, 0.4924139629583806]);
  });

  it("rolls differently under another key (another fight, another deployment) or another label", () => {
    const first = (r: ReturnType<typeof rng>) => Array.from({ length: 8 }, () => r.next());
    const base = first(rng("turn:1"));
    assert.notDeepEqual(first(rng("turn:1", Buffer.alloc(32, 8))), base);
    assert.notDeepEqual(first(rng("turn:2")), base);
    assert.ok(base.every((x) => x >= 0 && x < 1));
  });

  it("int stays within its bounds", () => {
    const r = rng("bounds");
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 7);
      assert.ok(n >= 3 && n <= 7 && Number.isInteger(n));
    }
  });
});

describe("hit, damage, criticals and fleeing", () => {
  it("hit chance adds effects, subtracts evasion and stays between 5% and 95%", () => {
    assert.equal(hitChance(0.8, 0, 0), 0.8);
    assert.equal(hitChance(0.8, -0.2, 0.1), 0.5000000000000001);
    assert.equal(hitChance(1, 0.5, 0), 0.95);
    assert.equal(hitChance(0.3, -0.5, 0.3), 0.05);
  });

  it("damage is the roll minus armour, at least 1, and criticals multiply it", () => {
    const sure = { damageMin: 10, damageMax: 10, critChance: 0, critMultiplier: 2 };
    assert.deepEqual(damageRoll(rng("d"), sure, { damageMultiplier: 1, defense: 3 }), { amount: 7, critical: false });
    assert.deepEqual(damageRoll(rng("d"), sure, { damageMultiplier: 1, defense: 50 }), { amount: 1, critical: false });
    const crit = { ...sure, critChance: 1 };
    assert.deepEqual(damageRoll(rng("d"), crit, { damageMultiplier: 1, defense: 0 }), { amount: 20, critical: true });
    assert.deepEqual(damageRoll(rng("d"), crit, { damageMultiplier: 1.5, defense: 5 }), { amount: 25, critical: true });
  });

  it("a fixed key settles a whole fight the written-out way: blows, misses, the kill, XP and statistics", () => {
    const dog = ENEMY_TYPES.get("feral-dog")!;
    let player = { ...newPlayer(), xp: 0 };
    let enemy = enemyOf(dog);
    let fight = { combatId: 1, turn: 1, enemyId: 9, damageDealt: 0, damageTaken: 0 };
    const log: unknown[] = [];
    let last: ReturnType<typeof settleTurn> | undefined;
    for (let turn = 1; turn <= 30 && last?.record.outcome !== "won"; turn++) {
      last = settleTurn({ ...fight, turn }, player, enemy, { kind: "attack" }, STATUS_EFFECTS, rng(`turn:${turn}`));
      log.push([last.record.outcome, last.record.events.map((e) => [e.actor, e.kind, e.amount ?? null]), last.player.hp, last.enemy.hp]);
      player = { ...player, hp: last.player.hp, stamina: last.player.stamina, effects: last.player.effects, xp: last.player.xp, level: last.player.level };
      enemy = { ...enemy, hp: last.enemy.hp, effects: last.enemy.effects };
      fight = { ...fight, damageDealt: last.fight.damageDealt, damageTaken: last.fight.damageTaken };
    }
    assert.deepEqual(log, [
      [
        "ongoing",
        [
          ["player", "miss", null],
          ["enemy", "miss", null],
        ],
        100,
        22,
      ],
      [
        "ongoing",
        [
          ["player", "attack", 7],
          ["enemy", "attack", 1],
        ],
        99,
        15,
      ],
      [
        "ongoing",
        [
          ["player", "attack", 4],
          ["enemy", "attack", 1],
        ],
        98,
        11,
      ],
      [
        "ongoing",
        [
          ["player", "attack", 7],
          ["enemy", "miss", null],
        ],
        98,
        4,
      ],
      [
        "won",
        [
          ["player", "attack", 4],
          ["enemy", "defeated", null],
        ],
        98,
        0,
      ],
    ]);
    assert.equal(last!.record.events[0]!.text, "You hit the Feral Dog with your Rusty Pipe for 4.");
    assert.deepEqual(last!.fight, { status: "won", damageDealt: 22, damageTaken: 2 });
    assert.deepEqual(last!.stats, { kills: 1, deaths: 0, fightsFled: 0, damageDealt: 22, damageTaken: 2, xpGained: 12, levelUps: 0 });
    assert.equal(last!.player.xp, dog.xp);
    assert.deepEqual(last!.enemy, { hp: 0, effects: [], dead: true });
  });

  it("fleeing is harder from relentless enemies, easier with experience", () => {
    assert.equal(fleeChance(rat, 1), Math.min(0.95, Math.max(0.1, 1 - rat.pursuit)));
    assert.equal(fleeChance(warlord, 1), Math.min(0.95, Math.max(0.1, 1 - warlord.pursuit)));
    assert.ok(fleeChance(rat, 11) > fleeChance(rat, 1) || fleeChance(rat, 1) === 0.95);
    let fled = 0;
    for (let i = 0; i < 1000; i++) {
      const r = resolveTurn(newPlayer(), enemyOf(warlord), { kind: "flee" }, STATUS_EFFECTS, rng(`flee:${i}`));
      if (r.outcome === "fled") {
        fled++;
        assert.equal(r.damageTaken, 0, "an escape is not followed by a blow");
      }
    }
    assert.ok(Math.abs(fled / 1000 - fleeChance(warlord, 1)) < 0.05, `${fled} escapes in 1000, expected about ${fleeChance(warlord, 1) * 1000}`);
  });

  it("over many seeds, a player with a rusty pipe beats a rat far more often than not", () => {
    let wins = 0;
    for (let fight = 0; fight < 200; fight++) {
      let p = newPlayer();
      let e = enemyOf(rat);
      for (let turn = 1; turn <= 50; turn++) {
        const r = resolveTurn(p, e, { kind: "attack" }, STATUS_EFFECTS, rng(`sim:${fight}:${turn}`));
        p = { ...p, ...r.player };
        e = { ...e, ...r.enemy };
        if (r.outcome === "won") wins++;
        if (r.outcome !== "ongoing") break;
      }
    }
    assert.ok(wins > 180, `${wins}/200`);
  });
});

describe("status effects", () => {
  it("bleeding hurts every tick and wears off", () => {
    const bleeding = STATUS_EFFECTS.get("bleeding")!;
    let bearer = { hp: 50, maxHp: 100, effects: [{ effectId: "bleeding", remainingTicks: 2 }] };
    const first = tickEffects(bearer, STATUS_EFFECTS);
    assert.equal(first.bearer.hp, 50 + bleeding.hpPerTick);
    assert.deepEqual(first.bearer.effects, [{ effectId: "bleeding", remainingTicks: 1 }]);
    bearer = first.bearer;
    const second = tickEffects(bearer, STATUS_EFFECTS);
    assert.deepEqual(second.bearer.effects, []);
    assert.equal(second.ticks[0]!.expired, true);
  });

  it("never takes HP below the floor (0 in a fight, 1 outside)", () => {
    const poisoned = { hp: 1, maxHp: 100, effects: [{ effectId: "poisoned", remainingTicks: 3 }] };
    assert.equal(tickEffects(poisoned, STATUS_EFFECTS, 1).bearer.hp, 1);
    assert.equal(tickEffects(poisoned, STATUS_EFFECTS, 0).bearer.hp, 0);
  });

  it("a bandage cures bleeding in a fight", () => {
    const bandage = asConsumable(ITEMS.get("bandage"))!;
    const action: TurnAction = { kind: "use", itemId: "bandage", item: bandage };
    const r = resolveTurn(newPlayer({ hp: 60, effects: [{ effectId: "bleeding", remainingTicks: 5 }] }), enemyOf(), action, STATUS_EFFECTS, rng("heal"));
    assert.equal(r.itemUsed, "bandage");
    assert.ok(!r.player.effects.some((e) => e.effectId === "bleeding"));
  });
});

describe("loot, levels and death", () => {
  it("a fixed key rolls the written-out loot of a warlord", () => {
    assert.deepEqual(rollLoot(warlord.loot, rng("loot")), [
      { itemId: "bottle-cap", quantity: 40 },
      { itemId: "combat-armour", quantity: 1 },
      { itemId: "stimpak", quantity: 2 },
    ]);
    assert.deepEqual(rollLoot([{ itemId: "bandage", chance: 1, min: 2, max: 2 }], rng("x")), [{ itemId: "bandage", quantity: 2 }]);
  });

  it("property: whatever the key, loot comes only from the enemy's table, within its quantities", () => {
    const types = [...ENEMY_TYPES.values()];
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(...types), (key, type) => {
        for (const drop of rollLoot(type.loot, keyedRng(key, "loot"))) {
          const entry = type.loot.find((t) => t.itemId === drop.itemId);
          assert.ok(entry, `${drop.itemId} is not in the loot table of ${type.id}`);
          assert.ok(drop.quantity >= entry.min && drop.quantity <= entry.max, `${drop.quantity} ${drop.itemId}`);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("levels follow XP and raise the maxima", () => {
    assert.equal(levelForXp(0), 1);
    assert.equal(levelForXp(xpForLevel(2)), 2);
    assert.equal(levelForXp(xpForLevel(3) - 1), 2);
    const up = gainXp({ hp: 40, xp: 90, level: 1, maxHp: 100, maxStamina: 100 }, 20);
    assert.deepEqual(up, { hp: 50, xp: 110, level: 2, maxHp: 110, maxStamina: 105, levelsGained: 1 });
    assert.deepEqual(gainXp({ hp: 40, xp: 0, level: 1, maxHp: 100, maxStamina: 100 }, 20), {
      hp: 40,
      xp: 20,
      level: 1,
      maxHp: 100,
      maxStamina: 100,
      levelsGained: 0,
    });
  });

  it("death costs a tenth of the progress towards the next level, never a level", () => {
    const floor = xpForLevel(3);
    const { xp, respawnHp } = deathPenalty({ xp: floor + 100, level: 3, maxHp: 120 });
    assert.equal(xp, floor + 90);
    assert.equal(respawnHp, 60);
    assert.equal(deathPenalty({ xp: floor, level: 3, maxHp: 120 }).xp, floor);
  });

  it("fists are the weapon of the unarmed", () => {
    let landed = 0;
    for (let i = 0; i < 300; i++) {
      const r = resolveTurn(newPlayer({ weapon: null }), enemyOf(warlord), { kind: "attack" }, STATUS_EFFECTS, rng(`bare:${i}`));
      const blow = r.events.find((e) => e.actor === "player" && (e.kind === "attack" || e.kind === "critical"));
      if (!blow) continue;
      landed++;
      assert.ok(blow.amount! >= 1 && blow.amount! <= Math.max(1, Math.round(FISTS.damageMax * FISTS.critMultiplier) - warlord.defense), `${blow.amount}`);
    }
    assert.ok(landed > 150, `${landed} of 300 landed`);
  });
});

describe("property: any turn", () => {
  const effectIds = [...STATUS_EFFECTS.keys()];
  const enemyIds = [...ENEMY_TYPES.keys()];
  const weaponIds = [...ITEMS.values()].filter((i) => i.kind === "weapon").map((i) => i.id);
  const armourIds = [...ITEMS.values()].filter((i) => i.kind === "armour").map((i) => i.id);
  const consumableIds = [...ITEMS.values()].filter((i) => i.kind === "consumable").map((i) => i.id);
  const effects = fc
    .array(fc.record({ effectId: fc.constantFrom(...effectIds), remainingTicks: fc.integer({ min: 1, max: 10 }) }), { maxLength: 4 })
    .map((list) => {
      const seen = new Set<string>();
      return list.filter((e) => {
        if (seen.has(e.effectId)) return false;
        seen.add(e.effectId);
        return true;
      });
    });
  const scenario = fc.record({
    key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    turn: fc.integer({ min: 1, max: 500 }),
    xp: fc.integer({ min: 0, max: 100_000 }),
    maxHp: fc.integer({ min: 1, max: 600 }),
    hpShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
    level: fc.integer({ min: 1, max: 50 }),
    weapon: fc.option(fc.constantFrom(...weaponIds), { nil: null }),
    armour: fc.option(fc.constantFrom(...armourIds), { nil: null }),
    playerEffects: effects,
    enemyId: fc.constantFrom(...enemyIds),
    enemyShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
    enemyEffects: effects,
    action: fc.oneof(
      fc.constant<TurnAction>({ kind: "attack" }),
      fc.constant<TurnAction>({ kind: "flee" }),
      fc.constantFrom(...consumableIds).map((id): TurnAction => ({ kind: "use", itemId: id, item: asConsumable(ITEMS.get(id)) })),
      fc.constant<TurnAction>({ kind: "use", itemId: "missing", item: null }),
    ),
  });
  const build = (s: fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never) => {
    const type = ENEMY_TYPES.get(s.enemyId)!;
    const player = newPlayer({
      maxHp: s.maxHp,
      hp: Math.max(1, Math.round(s.maxHp * s.hpShare)),
      level: s.level,
      weapon: asWeapon(ITEMS.get(s.weapon ?? "")),
      armour: asArmour(ITEMS.get(s.armour ?? "")),
      effects: s.playerEffects,
    });
    const enemy = enemyOf(type, { hp: Math.max(1, Math.round(type.maxHp * s.enemyShare)), effects: s.enemyEffects });
    return { player, enemy };
  };

  it("never takes HP below 0 or above the maximum, for either side", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { player, enemy } = build(s);
        const r = resolveTurn(player, enemy, s.action, STATUS_EFFECTS, keyedRng(s.key, `turn:${s.turn}`));
        assert.ok(r.player.hp >= 0 && r.player.hp <= player.maxHp, `player hp ${r.player.hp}`);
        assert.ok(r.enemy.hp >= 0 && r.enemy.hp <= enemy.maxHp, `enemy hp ${r.enemy.hp}`);
        assert.ok(r.player.stamina >= 0 && r.player.stamina <= player.maxStamina, `stamina ${r.player.stamina}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it("settles every turn consistently: the outcome matches the HP, the fight's totals add up, and an ending carries its statistics", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { player, enemy } = build(s);
        const level = levelForXp(s.xp);
        const fighter = { ...player, xp: s.xp, level };
        const fight = { combatId: 3, turn: s.turn, enemyId: 4, damageDealt: 10, damageTaken: 20 };
        const t = settleTurn(fight, fighter, enemy, s.action, STATUS_EFFECTS, keyedRng(s.key, `turn:${s.turn}`));
        assert.ok(t.player.hp >= 0 && t.player.hp <= t.player.maxHp, `hp ${t.player.hp} of ${t.player.maxHp}`);
        assert.ok(t.enemy.hp >= 0 && t.enemy.hp <= enemy.maxHp);
        assert.equal(t.fight.damageDealt, 10 + t.record.damageDealt);
        assert.equal(t.fight.damageTaken, 20 + t.record.damageTaken);
        assert.equal(t.stats === null, t.record.outcome === "ongoing");
        switch (t.record.outcome) {
          case "lost":
            assert.deepEqual([t.player.alive, t.player.hp, t.player.effects], [false, 0, []]);
            assert.equal(t.player.xp, deathPenalty({ xp: s.xp, level, maxHp: player.maxHp }).xp);
            assert.equal(t.stats!.deaths, 1);
            break;
          case "won":
            assert.equal(t.enemy.hp, 0);
            assert.equal(t.player.xp, s.xp + enemy.type.xp);
            assert.equal(t.stats!.kills, 1);
            break;
          case "ongoing":
            assert.ok(t.player.hp > 0 && t.enemy.hp > 0 && t.player.alive);
            break;
          case "fled":
            assert.equal(t.stats!.fightsFled, 1);
            break;
        }
        if (t.record.outcome !== "ongoing") assert.deepEqual(t.enemy.effects, []);
      }),
      { numRuns: 2_000 },
    );
  });
});
