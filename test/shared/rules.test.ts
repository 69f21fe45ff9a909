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
  seededRng,
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

describe("seeded randomness", () => {
  it("repeats for the same seed and differs for another", () => {
    const a = seededRng("combat:1:turn:1");
    const b = seededRng("combat:1:turn:1");
    const c = seededRng("combat:1:turn:2");
    const seqA = Array.from({ length: 8 }, () => a.next());
    assert.deepEqual(
      seqA,
      Array.from({ length: 8 }, () => b.next()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 8 }, () => c.next()),
    );
    assert.ok(seqA.every((x) => x >= 0 && x < 1));
  });

  it("int stays within its bounds", () => {
    const rng = seededRng("bounds");
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 7);
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
    assert.deepEqual(damageRoll(seededRng("d"), sure, { damageMultiplier: 1, defense: 3 }), { amount: 7, critical: false });
    assert.deepEqual(damageRoll(seededRng("d"), sure, { damageMultiplier: 1, defense: 50 }), { amount: 1, critical: false });
    const crit = { ...sure, critChance: 1 };
    assert.deepEqual(damageRoll(seededRng("d"), crit, { damageMultiplier: 1, defense: 0 }), { amount: 20, critical: true });
    assert.deepEqual(damageRoll(seededRng("d"), crit, { damageMultiplier: 1.5, defense: 5 }), { amount: 25, critical: true });
  });

  it("the same seed resolves a known turn the same way (fixed seed, fixed result)", () => {
    const result = resolveTurn(newPlayer(), enemyOf(), { kind: "attack" }, STATUS_EFFECTS, seededRng("combat:7:turn:1"));
    const again = resolveTurn(newPlayer(), enemyOf(), { kind: "attack" }, STATUS_EFFECTS, seededRng("combat:7:turn:1"));
    assert.deepEqual(result, again);
    assert.ok(["ongoing", "won", "lost"].includes(result.outcome));
    assert.equal(result.enemy.hp, rat.maxHp - result.damageDealt);
  });

  it("fleeing is harder from relentless enemies, easier with experience", () => {
    assert.equal(fleeChance(rat, 1), Math.min(0.95, Math.max(0.1, 1 - rat.pursuit)));
    assert.equal(fleeChance(warlord, 1), Math.min(0.95, Math.max(0.1, 1 - warlord.pursuit)));
    assert.ok(fleeChance(rat, 11) > fleeChance(rat, 1) || fleeChance(rat, 1) === 0.95);
    let fled = 0;
    for (let i = 0; i < 1000; i++) {
      const r = resolveTurn(newPlayer(), enemyOf(warlord), { kind: "flee" }, STATUS_EFFECTS, seededRng(`flee:${i}`));
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
        const r = resolveTurn(p, e, { kind: "attack" }, STATUS_EFFECTS, seededRng(`sim:${fight}:${turn}`));
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
    const r = resolveTurn(newPlayer({ hp: 60, effects: [{ effectId: "bleeding", remainingTicks: 5 }] }), enemyOf(), action, STATUS_EFFECTS, seededRng("heal"));
    assert.equal(r.itemUsed, "bandage");
    assert.ok(!r.player.effects.some((e) => e.effectId === "bleeding"));
  });
});

describe("loot, levels and death", () => {
  it("rolls the same loot for the same kill, only items of the table, within their quantities", () => {
    const table = warlord.loot;
    const a = rollLoot(table, seededRng("loot:enemy:5"));
    assert.deepEqual(a, rollLoot(table, seededRng("loot:enemy:5")));
    for (const drop of a) {
      const entry = table.find((t) => t.itemId === drop.itemId);
      assert.ok(entry, drop.itemId);
      assert.ok(drop.quantity >= entry.min && drop.quantity <= entry.max);
    }
    const sure = rollLoot([{ itemId: "bandage", chance: 1, min: 2, max: 2 }], seededRng("x"));
    assert.deepEqual(sure, [{ itemId: "bandage", quantity: 2 }]);
  });

  it("levels follow XP and raise the maxima", () => {
    assert.equal(levelForXp(0), 1);
    assert.equal(levelForXp(xpForLevel(2)), 2);
    assert.equal(levelForXp(xpForLevel(3) - 1), 2);
    const up = gainXp({ xp: 90, level: 1, maxHp: 100, maxStamina: 100 }, 20);
    assert.equal(up.level, 2);
    assert.equal(up.levelsGained, 1);
    assert.ok(up.maxHp > 100);
  });

  it("death costs a tenth of the progress towards the next level, never a level", () => {
    const floor = xpForLevel(3);
    const { xp, respawnHp } = deathPenalty({ xp: floor + 100, level: 3, maxHp: 120 });
    assert.equal(xp, floor + 90);
    assert.equal(respawnHp, 60);
    assert.equal(deathPenalty({ xp: floor, level: 3, maxHp: 120 }).xp, floor);
  });

  it("fists are the weapon of the unarmed", () => {
    const ceiling = Math.round(FISTS.damageMax * FISTS.critMultiplier) - rat.defense;
    let landed = 0;
    for (let i = 0; i < 300; i++) {
      const r = resolveTurn(newPlayer({ weapon: null }), enemyOf(warlord), { kind: "attack" }, STATUS_EFFECTS, seededRng(`bare:${i}`));
      const blow = r.events.find((e) => e.actor === "player" && (e.kind === "attack" || e.kind === "critical"));
      if (!blow) continue;
      landed++;
      assert.ok(blow.amount! >= 1 && blow.amount! <= Math.max(1, Math.round(FISTS.damageMax * FISTS.critMultiplier) - warlord.defense), `${blow.amount}`);
    }
    assert.ok(landed > 150, `${landed} of 300 landed`);
    assert.ok(ceiling >= 1);
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
    seed: fc.string({ maxLength: 20 }),
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
        const r = resolveTurn(player, enemy, s.action, STATUS_EFFECTS, seededRng(s.seed));
        return (
          r.player.hp >= 0 &&
          r.player.hp <= player.maxHp &&
          r.enemy.hp >= 0 &&
          r.enemy.hp <= enemy.maxHp &&
          r.player.stamina >= 0 &&
          r.player.stamina <= player.maxStamina
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives the same turn for the same seed, and its outcome matches the HP", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { player, enemy } = build(s);
        const a = resolveTurn(player, enemy, s.action, STATUS_EFFECTS, seededRng(s.seed));
        const b = resolveTurn(structuredClone(player), structuredClone(enemy), s.action, STATUS_EFFECTS, seededRng(s.seed));
        assert.deepEqual(a, b);
        if (a.outcome === "lost") assert.equal(a.player.hp, 0);
        if (a.outcome === "won") assert.equal(a.enemy.hp, 0);
        if (a.outcome === "ongoing") assert.ok(a.player.hp > 0 && a.enemy.hp > 0);
        return true;
      }),
      { numRuns: 2_000 },
    );
  });
});
