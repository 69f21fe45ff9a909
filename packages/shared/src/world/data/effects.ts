import type { z } from "zod";
import type { statusEffectSchema } from "../schema";

/**
 * Status effects that weapons, enemies and consumables can apply.
 * Every `effectId`, `cures` and `applies` reference elsewhere in the world data must name one of these ids.
 */
export const statusEffects = [
  {
    id: "bleeding",
    name: "Bleeding",
    description: "An open wound weeps steadily through your clothes. Every moment it stays unbound costs you more blood. A bandage will stop it.",
    kind: "harmful",
    durationTicks: 5,
    hpPerTick: -3,
  },
  {
    id: "poisoned",
    name: "Poisoned",
    description: "Venom or tainted water churns in your gut, leaving you sweating and sluggish. It will pass eventually, but an antidote works faster.",
    kind: "harmful",
    durationTicks: 6,
    hpPerTick: -2,
    staminaPerTick: -1,
  },
  {
    id: "irradiated",
    name: "Irradiated",
    description: "Your skin prickles and your teeth taste of tin. Radiation gnaws at you slowly and saps your strength until Rad-Away flushes it out.",
    kind: "harmful",
    durationTicks: 12,
    hpPerTick: -1,
    staminaPerTick: -1,
    damageMultiplier: 0.9,
  },
  {
    id: "burning",
    name: "Burning",
    description: "Flames lick at your clothes and hair. It is brief, but it is agony while it lasts.",
    kind: "harmful",
    durationTicks: 3,
    hpPerTick: -5,
  },
  {
    id: "concussed",
    name: "Concussed",
    description: "A ringing skull and swimming vision. You are not bleeding, but you can barely aim straight.",
    kind: "harmful",
    durationTicks: 4,
    hpPerTick: 0,
    accuracyModifier: -0.2,
  },
  {
    id: "adrenaline",
    name: "Adrenaline Rush",
    description: "Your heart hammers and the world slows down. Every blow you throw lands harder than it has any right to.",
    kind: "beneficial",
    durationTicks: 5,
    hpPerTick: 0,
    staminaPerTick: 2,
    damageMultiplier: 1.3,
  },
  {
    id: "well-fed",
    name: "Well Fed",
    description: "A hot meal sits warm in your belly. Your wounds knit a little faster and your legs feel fresh.",
    kind: "beneficial",
    durationTicks: 20,
    hpPerTick: 1,
    staminaPerTick: 1,
  },
  {
    id: "focused",
    name: "Focused",
    description: "Chemical clarity sharpens every edge of the world. Your hands are steady and your aim is true.",
    kind: "beneficial",
    durationTicks: 6,
    hpPerTick: 0,
    accuracyModifier: 0.15,
  },
] satisfies z.input<typeof statusEffectSchema>[];
