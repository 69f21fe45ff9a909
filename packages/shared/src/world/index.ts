import { statusEffects } from "./data/effects";
import { enemyTypes } from "./data/enemies";
import { items } from "./data/items";
import { START_LOCATION_ID, locations } from "./data/locations";
import {
  type ArmourDef,
  type ConsumableDef,
  type EnemyTypeDef,
  type ItemDef,
  type LocationDef,
  type StatusEffectDef,
  type WeaponDef,
  type World,
  worldSchema,
} from "./schema";
import { worldProblems } from "./validate";

export * from "./schema";
export { OPPOSITE, reachableFrom, worldProblems } from "./validate";

/** What every new player carries, with the weapon and armour worn. */
const STARTER_KIT = [
  { itemId: "rusty-pipe", quantity: 1 },
  { itemId: "leather-jacket", quantity: 1 },
  { itemId: "bandage", quantity: 3 },
  { itemId: "canned-beans", quantity: 2 },
  { itemId: "purified-water", quantity: 2 },
];

/** Parses and cross-checks world data; throws with every problem found. */
export function loadWorld(input: unknown): World {
  const world = worldSchema.parse(input);
  const problems = worldProblems(world);
  if (problems.length > 0) throw new Error(`the world data is unsound:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return world;
}

/** The game world, validated once when this module loads. */
export const WORLD: World = loadWorld({
  startLocationId: START_LOCATION_ID,
  locations,
  items,
  enemyTypes,
  statusEffects,
  starterKit: STARTER_KIT,
});

export const LOCATIONS: ReadonlyMap<string, LocationDef> = new Map(WORLD.locations.map((l) => [l.id, l]));
export const ITEMS: ReadonlyMap<string, ItemDef> = new Map(WORLD.items.map((i) => [i.id, i]));
export const ENEMY_TYPES: ReadonlyMap<string, EnemyTypeDef> = new Map(WORLD.enemyTypes.map((e) => [e.id, e]));
export const STATUS_EFFECTS: ReadonlyMap<string, StatusEffectDef> = new Map(WORLD.statusEffects.map((s) => [s.id, s]));

export const asWeapon = (item: ItemDef | undefined): WeaponDef | null => (item?.kind === "weapon" ? item : null);
export const asArmour = (item: ItemDef | undefined): ArmourDef | null => (item?.kind === "armour" ? item : null);
export const asConsumable = (item: ItemDef | undefined): ConsumableDef | null => (item?.kind === "consumable" ? item : null);
