import type { z } from "zod";
import type { locationSchema } from "../schema";

/**
 * The map: the fortified settlement of Cinderhold on the city's south-western outskirts, the farmland and
 * suburbs around it, the shattered interstate running east to the Ashfall crater, and the ruined city
 * centre to the north with its sewers below and the Meridian Tower above.
 *
 * Exits are always two-way: if A leads north to B, then B leads south back to A at the same stamina cost.
 */
export const START_LOCATION_ID = "cinderhold-square";

export const locations = [
  // ---------------------------------------------------------------- Cinderhold (safe haven)
  {
    id: "cinderhold-square",
    name: "Cinderhold Square",
    description:
      "The beating heart of Cinderhold, a cracked freight-depot yard ringed by shipping-container homes and strung with flickering bulbs. Children chase a rusted hubcap between the cookfires while guards pace the catwalks overhead. It is loud, it smells of smoke and stew, and it is the safest place for fifty miles.",
    dangerLevel: 0,
    exits: [
      { direction: "north", to: "cinderhold-gate", staminaCost: 2 },
      { direction: "in", to: "rusty-tankard", staminaCost: 1 },
      { direction: "east", to: "scrap-market", staminaCost: 2 },
      { direction: "up", to: "cinderhold-watchtower", staminaCost: 3 },
    ],
  },
  {
    id: "rusty-tankard",
    name: "The Rusty Tankard",
    description:
      "A tavern built inside a gutted city bus, its seats replaced with crate tables and its windows patched with road signs. Old Hettie ladles mystery stew behind the counter, and the moonshine still in the back gurgles like a living thing. Rumours here are cheap and the drinks are cheaper.",
    dangerLevel: 0,
    exits: [{ direction: "out", to: "cinderhold-square", staminaCost: 1 }],
  },
  {
    id: "scrap-market",
    name: "Scrap Market",
    description:
      "Rows of tarp-covered stalls crowd the old loading docks, selling everything from bent nails to bottled water. Traders shout prices in caps over the clang of a blacksmith hammering car springs into blades. A hand-painted sign points to Mallory's clinic behind a red-crossed door.",
    dangerLevel: 0,
    exits: [
      { direction: "west", to: "cinderhold-square", staminaCost: 2 },
      { direction: "in", to: "mallorys-clinic", staminaCost: 1 },
    ],
  },
  {
    id: "mallorys-clinic",
    name: "Mallory's Clinic",
    description:
      "A cramped refrigerated container converted into a surgery, lit by a single humming lamp. Doc Mallory boils bandages in a steel drum and keeps her precious stimpaks under lock and key. The cots are stained, but more people walk out of here than are carried.",
    dangerLevel: 0,
    exits: [{ direction: "out", to: "scrap-market", staminaCost: 1 }],
  },
  {
    id: "cinderhold-watchtower",
    name: "Cinderhold Watchtower",
    description:
      "A wind-rocked platform welded atop a crane, reached by a ladder that sways with every step. From up here you can see the farmland to the west, the dead interstate snaking east toward the crater's glow, and the broken skyline of the city to the north. A sentry with a hunting rifle nods and goes back to watching.",
    dangerLevel: 0,
    exits: [{ direction: "down", to: "cinderhold-square", staminaCost: 3 }],
  },
  {
    id: "cinderhold-gate",
    name: "Cinderhold Gate",
    description:
      "A massive gate of stacked shipping containers and truck chassis, rolled aside each morning on greased rails. Spiked barricades funnel travellers past armed guards who search every pack for contraband and every face for sickness. Beyond the gate, the dust road leads out into the wastes.",
    dangerLevel: 0,
    exits: [
      { direction: "south", to: "cinderhold-square", staminaCost: 2 },
      { direction: "north", to: "dust-road", staminaCost: 3 },
    ],
  },

  // ---------------------------------------------------------------- the outskirts
  {
    id: "dust-road",
    name: "The Dust Road",
    description:
      "A rutted dirt road worn between leaning telephone poles, their wires long since stripped for copper. Wind drags grey dust across the track in slow, hissing waves. Cinderhold's walls are still close enough to run to, which is comforting.",
    dangerLevel: 1,
    exits: [
      { direction: "south", to: "cinderhold-gate", staminaCost: 3 },
      { direction: "north", to: "ruined-gas-station", staminaCost: 4 },
      { direction: "west", to: "withered-orchard", staminaCost: 3 },
      { direction: "east", to: "mother-ruths-truck-stop", staminaCost: 4 },
    ],
  },
  {
    id: "withered-orchard",
    name: "Withered Orchard",
    description:
      "Rows of dead apple trees stand like blackened hands clawing at the sky. The ground is littered with shrivelled fruit that even the rats have given up on. Somewhere among the trunks, something small rustles and goes still.",
    dangerLevel: 1,
    exits: [
      { direction: "east", to: "dust-road", staminaCost: 3 },
      { direction: "north", to: "abandoned-farmhouse", staminaCost: 3 },
      { direction: "west", to: "dry-riverbed", staminaCost: 4 },
    ],
  },
  {
    id: "abandoned-farmhouse",
    name: "Abandoned Farmhouse",
    description:
      "A two-storey farmhouse with its porch collapsed and its windows boarded from the inside. Someone made a last stand here: the walls are pocked with bullet holes and a rocking chair still faces the door. A trapdoor in the kitchen floor leads down into darkness.",
    dangerLevel: 1,
    exits: [
      { direction: "south", to: "withered-orchard", staminaCost: 3 },
      { direction: "east", to: "ruined-gas-station", staminaCost: 3 },
      { direction: "west", to: "junkers-scrapyard", staminaCost: 4 },
      { direction: "north", to: "briarwood-park", staminaCost: 4 },
      { direction: "down", to: "farmhouse-cellar", staminaCost: 2 },
    ],
  },
  {
    id: "farmhouse-cellar",
    name: "Farmhouse Cellar",
    description:
      "A low, damp root cellar that smells of mould and old potatoes. Shelves of cracked preserve jars line the walls, and a nest of shredded blankets in the corner suggests you are not the first visitor. Water drips steadily from the beams above.",
    dangerLevel: 1,
    exits: [{ direction: "up", to: "abandoned-farmhouse", staminaCost: 2 }],
  },
  {
    id: "dry-riverbed",
    name: "Dry Riverbed",
    description:
      "A cracked channel of sun-baked mud where a river once ran, its banks littered with bleached shopping carts and the ribs of an old rowing boat. Heat shimmers over the clay. Tracks of paws and bare feet crisscross the dust in every direction.",
    dangerLevel: 1,
    exits: [
      { direction: "east", to: "withered-orchard", staminaCost: 4 },
      { direction: "north", to: "junkers-scrapyard", staminaCost: 5 },
    ],
  },
  {
    id: "junkers-scrapyard",
    name: "Junker's Scrapyard",
    description:
      "Mountains of crushed cars and rusting appliances tower over narrow alleys of packed dirt. A broken crane hangs over the yard like a gallows, its hook creaking in the wind. Scavengers come here for metal and sometimes do not come back.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "dry-riverbed", staminaCost: 5 },
      { direction: "east", to: "abandoned-farmhouse", staminaCost: 4 },
      { direction: "north", to: "radio-tower-hill", staminaCost: 6 },
    ],
  },
  {
    id: "radio-tower-hill",
    name: "Radio Tower Hill",
    description:
      "A bald, windswept hill crowned by a skeletal broadcast mast, its red warning lights long dead. The steep path up is strewn with loose scree and old campfire rings. A rusted maintenance ladder climbs the tower into the clouds.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "junkers-scrapyard", staminaCost: 6 },
      { direction: "east", to: "briarwood-park", staminaCost: 4 },
      { direction: "up", to: "radio-tower-summit", staminaCost: 8 },
    ],
  },
  {
    id: "radio-tower-summit",
    name: "Radio Tower Summit",
    description:
      "A tiny steel platform at the top of the mast, buffeted by gusts that threaten to peel you off. An equipment box bolted to the rail still hums faintly, broadcasting a looping distress signal nobody answers. The whole wasteland lies spread out below like a map of old wounds.",
    dangerLevel: 3,
    exits: [{ direction: "down", to: "radio-tower-hill", staminaCost: 8 }],
  },
  {
    id: "ruined-gas-station",
    name: "Ruined Gas Station",
    description:
      "A roadside gas station with its canopy slumped onto the pumps and its shop windows smashed out. The underground tanks were drained years ago, but the smell of fuel lingers. Graffiti on the wall reads 'NO GAS, NO FOOD, NO HOPE - TRY CINDERHOLD'.",
    dangerLevel: 1,
    exits: [
      { direction: "south", to: "dust-road", staminaCost: 4 },
      { direction: "west", to: "abandoned-farmhouse", staminaCost: 3 },
      { direction: "north", to: "maple-row", staminaCost: 4 },
      { direction: "east", to: "highway-onramp", staminaCost: 3 },
    ],
  },
  {
    id: "mother-ruths-truck-stop",
    name: "Mother Ruth's Truck Stop",
    description:
      "A fortified diner behind a ring of jack-knifed eighteen-wheelers, run by a stern old woman and her many armed grandsons. The coffee is roasted acorns, the beds are truck cabs, and the rule is simple: no fighting under Ruth's roof. Travellers on the highway stop here to trade news and sleep with both eyes shut.",
    dangerLevel: 0,
    exits: [
      { direction: "west", to: "dust-road", staminaCost: 4 },
      { direction: "north", to: "highway-onramp", staminaCost: 3 },
    ],
  },

  // ---------------------------------------------------------------- the suburbs
  {
    id: "maple-row",
    name: "Maple Row",
    description:
      "A suburban street of identical houses, half of them burned to their foundations and the rest stripped to the studs. Plastic flamingos still stand guard on dead lawns. Every open doorway is a dark mouth, and some of them are watching you.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "ruined-gas-station", staminaCost: 4 },
      { direction: "east", to: "bargain-row-strip-mall", staminaCost: 3 },
      { direction: "west", to: "briarwood-park", staminaCost: 3 },
      { direction: "north", to: "drainage-canal", staminaCost: 4 },
    ],
  },
  {
    id: "briarwood-park",
    name: "Briarwood Park",
    description:
      "What was once a neighbourhood park has been swallowed by thorny, mutated briars taller than a man. The rusted frame of a playground rises out of the tangle, one swing still creaking in the breeze. Narrow trails wind through the thorns, and not all of them were made by people.",
    dangerLevel: 2,
    exits: [
      { direction: "east", to: "maple-row", staminaCost: 3 },
      { direction: "south", to: "abandoned-farmhouse", staminaCost: 4 },
      { direction: "west", to: "radio-tower-hill", staminaCost: 4 },
      { direction: "north", to: "burned-schoolhouse", staminaCost: 4 },
    ],
  },
  {
    id: "burned-schoolhouse",
    name: "Burned Schoolhouse",
    description:
      "The blackened shell of an elementary school, its roof fallen into the classrooms. Crayon drawings still cling to the scorched walls of the one hallway the fire spared. The silence here is heavier than anywhere else on the outskirts.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "briarwood-park", staminaCost: 4 },
      { direction: "east", to: "drainage-canal", staminaCost: 3 },
      { direction: "north", to: "st-judes-hospital", staminaCost: 5 },
    ],
  },
  {
    id: "drainage-canal",
    name: "Drainage Canal",
    description:
      "A wide concrete channel choked with sludge, shopping carts and the occasional bloated carcass. The walls are tagged with the marks of rival gangs and warnings about what lives in the pipes. To the north, the city's broken towers loom ever closer.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "maple-row", staminaCost: 4 },
      { direction: "west", to: "burned-schoolhouse", staminaCost: 3 },
      { direction: "east", to: "eastgate-rail-station", staminaCost: 4 },
      { direction: "north", to: "the-athenaeum", staminaCost: 5 },
    ],
  },
  {
    id: "bargain-row-strip-mall",
    name: "Bargain Row Strip Mall",
    description:
      "A strip of shopfronts under a sagging sign that still promises 'EVERYTHING MUST GO'. Everything went: the laundromat, the nail salon and the pawn shop are picked clean down to the wiring. Only the hulking MegaMart at the end of the row still has its shutters half down.",
    dangerLevel: 2,
    exits: [
      { direction: "west", to: "maple-row", staminaCost: 3 },
      { direction: "south", to: "highway-onramp", staminaCost: 4 },
      { direction: "north", to: "eastgate-rail-station", staminaCost: 4 },
      { direction: "east", to: "collapsed-overpass", staminaCost: 6 },
      { direction: "in", to: "megamart-interior", staminaCost: 1 },
    ],
  },
  {
    id: "megamart-interior",
    name: "MegaMart Interior",
    description:
      "Aisle after aisle of toppled shelving stretches into the gloom, lit only by holes in the roof. The air is thick with the stink of rotted produce and animal droppings. Something skitters between the checkout lanes whenever you look away.",
    dangerLevel: 2,
    exits: [{ direction: "out", to: "bargain-row-strip-mall", staminaCost: 1 }],
  },
  {
    id: "eastgate-rail-station",
    name: "Eastgate Rail Station",
    description:
      "A commuter station where a derailed train lies on its side across the platform like a dead steel serpent. Faded timetables still promise trains every twelve minutes to a city that no longer exists. The tracks run north under a crumbling viaduct into the heart of the ruins.",
    dangerLevel: 2,
    exits: [
      { direction: "west", to: "drainage-canal", staminaCost: 4 },
      { direction: "south", to: "bargain-row-strip-mall", staminaCost: 4 },
      { direction: "north", to: "broken-boulevard", staminaCost: 4 },
    ],
  },

  // ---------------------------------------------------------------- the highway and the crater
  {
    id: "highway-onramp",
    name: "Highway On-Ramp",
    description:
      "A curving concrete ramp climbing from the suburbs onto the elevated interstate. Abandoned cars sit bumper to bumper where their owners left them, doors flung open, skeletons still buckled in some. The wind up here carries a faint metallic tang from the east.",
    dangerLevel: 2,
    exits: [
      { direction: "south", to: "mother-ruths-truck-stop", staminaCost: 3 },
      { direction: "west", to: "ruined-gas-station", staminaCost: 3 },
      { direction: "north", to: "bargain-row-strip-mall", staminaCost: 4 },
      { direction: "east", to: "shattered-interstate", staminaCost: 4 },
    ],
  },
  {
    id: "shattered-interstate",
    name: "Shattered Interstate",
    description:
      "Six lanes of cracked asphalt buckled by the shockwave into frozen waves of concrete. Raider glyphs are spray-painted on the median barriers, marking whose road this is now. To the north, an overpass has slumped across the carriageway.",
    dangerLevel: 2,
    exits: [
      { direction: "west", to: "highway-onramp", staminaCost: 4 },
      { direction: "east", to: "jackknifed-convoy", staminaCost: 5 },
      { direction: "north", to: "collapsed-overpass", staminaCost: 5 },
    ],
  },
  {
    id: "collapsed-overpass",
    name: "Collapsed Overpass",
    description:
      "A highway overpass that snapped in two, its broken deck tilted down like a ramp into the rubble below. Rebar juts from the concrete like the ribs of some enormous beast. Raiders use the high end as a lookout, and the low end as a place to dump bodies.",
    dangerLevel: 3,
    exits: [
      { direction: "south", to: "shattered-interstate", staminaCost: 5 },
      { direction: "west", to: "bargain-row-strip-mall", staminaCost: 6 },
    ],
  },
  {
    id: "jackknifed-convoy",
    name: "Jackknifed Convoy",
    description:
      "A military convoy lies scattered across the highway, its trucks burned out and its tank tipped into the ditch. The cargo crates were looted long ago, but scavengers still pry at the armour plating. Scorch marks and shell casings tell of a battle fought to the last round.",
    dangerLevel: 3,
    exits: [
      { direction: "west", to: "shattered-interstate", staminaCost: 5 },
      { direction: "east", to: "dead-mans-toll", staminaCost: 4 },
    ],
  },
  {
    id: "dead-mans-toll",
    name: "Dead Man's Toll",
    description:
      "A row of toll booths where the raiders once charged passage in blood and caps. Rotting corpses still hang from the barrier arms as a warning to travellers. Beyond the booths, the land to the north turns grey and glassy under a sickly glow.",
    dangerLevel: 3,
    exits: [
      { direction: "west", to: "jackknifed-convoy", staminaCost: 4 },
      { direction: "north", to: "ashfall-crater-rim", staminaCost: 7 },
    ],
  },
  {
    id: "ashfall-crater-rim",
    name: "Ashfall Crater Rim",
    description:
      "You stand on the lip of a vast bowl gouged into the earth where the bomb struck, its sides fused into rippled black glass. Your counter clicks steadily and the air tastes of pennies. Far below, something glows green at the crater's heart.",
    dangerLevel: 4,
    exits: [
      { direction: "south", to: "dead-mans-toll", staminaCost: 7 },
      { direction: "down", to: "glassed-slope", staminaCost: 8 },
      { direction: "north", to: "glowmire-marsh", staminaCost: 8 },
    ],
  },
  {
    id: "glassed-slope",
    name: "Glassed Slope",
    description:
      "A treacherous descent over slick, fused glass that cracks and shifts under your boots. Half-melted cars and the outlines of people are frozen into the surface like insects in amber. Every step down makes the radiation counter scream a little louder.",
    dangerLevel: 4,
    exits: [
      { direction: "up", to: "ashfall-crater-rim", staminaCost: 8 },
      { direction: "down", to: "ground-zero", staminaCost: 10 },
    ],
  },
  {
    id: "ground-zero",
    name: "Ground Zero",
    description:
      "The very floor of the crater, where a pool of luminous green water steams in the ash. Nothing should be able to live here, yet huge tracks circle the pool and glowing shapes shuffle at its edges. Stay too long and the light will get inside you.",
    dangerLevel: 5,
    exits: [{ direction: "up", to: "glassed-slope", staminaCost: 10 }],
  },
  {
    id: "glowmire-marsh",
    name: "Glowmire Marsh",
    description:
      "A swamp of irradiated runoff spreading north from the crater, where bioluminescent reeds pulse in slow waves. The mud sucks at your boots and bubbles with gas that smells of rot and ozone. On the far side rise the scrap walls of the Iron Bastion.",
    dangerLevel: 4,
    exits: [
      { direction: "south", to: "ashfall-crater-rim", staminaCost: 8 },
      { direction: "north", to: "iron-bastion-gate", staminaCost: 7 },
    ],
  },

  // ---------------------------------------------------------------- the ruined city
  {
    id: "the-athenaeum",
    name: "The Athenaeum",
    description:
      "The old city library, its doors bricked up and its windows turned into firing slits by the Scribes who live here. Inside, candles burn between towering shelves as robed archivists copy crumbling books by hand. They trade medicine and maps for any pre-war knowledge you bring them.",
    dangerLevel: 0,
    exits: [
      { direction: "east", to: "broken-boulevard", staminaCost: 4 },
      { direction: "south", to: "drainage-canal", staminaCost: 5 },
      { direction: "west", to: "st-judes-hospital", staminaCost: 4 },
    ],
  },
  {
    id: "broken-boulevard",
    name: "Broken Boulevard",
    description:
      "The city's grand avenue, now a canyon of rubble between leaning office blocks. Traffic lights dangle from their wires and swing in the wind with an eerie creak. An open storm drain in the middle of the road breathes cold, foul air up from the sewers.",
    dangerLevel: 3,
    exits: [
      { direction: "south", to: "eastgate-rail-station", staminaCost: 4 },
      { direction: "west", to: "the-athenaeum", staminaCost: 4 },
      { direction: "north", to: "meridian-tower-lobby", staminaCost: 4 },
      { direction: "east", to: "glass-canyon", staminaCost: 5 },
      { direction: "down", to: "sewer-junction", staminaCost: 4 },
    ],
  },
  {
    id: "st-judes-hospital",
    name: "St. Jude's Hospital",
    description:
      "A sprawling hospital whose emergency wing has collapsed into a heap of concrete and gurneys. Hand-painted red crosses on the walls lead to wards long since ransacked for medicine. The stairwell down to the morgue is propped open, and the cold coming up it is not natural.",
    dangerLevel: 3,
    exits: [
      { direction: "east", to: "the-athenaeum", staminaCost: 4 },
      { direction: "south", to: "burned-schoolhouse", staminaCost: 5 },
      { direction: "down", to: "hospital-morgue", staminaCost: 3 },
    ],
  },
  {
    id: "hospital-morgue",
    name: "Hospital Morgue",
    description:
      "Rows of steel drawers line the walls, most of them pulled open and empty. A few are not empty. A service door at the back opens onto a maintenance tunnel that runs east beneath the city.",
    dangerLevel: 3,
    exits: [
      { direction: "up", to: "st-judes-hospital", staminaCost: 3 },
      { direction: "east", to: "maintenance-tunnel", staminaCost: 5 },
    ],
  },
  {
    id: "sewer-junction",
    name: "Sewer Junction",
    description:
      "A vaulted brick chamber where four great sewer pipes meet in a churning pool of black water. Rusted ladders lead up to the streets, and the echo of dripping water hides every other sound. Tunnels branch off into the dark in every direction.",
    dangerLevel: 3,
    exits: [
      { direction: "up", to: "broken-boulevard", staminaCost: 4 },
      { direction: "west", to: "maintenance-tunnel", staminaCost: 5 },
      { direction: "east", to: "flooded-tunnels", staminaCost: 6 },
      { direction: "north", to: "lurker-warren", staminaCost: 7 },
    ],
  },
  {
    id: "maintenance-tunnel",
    name: "Maintenance Tunnel",
    description:
      "A narrow utility corridor lined with burst steam pipes and dead cable runs. Emergency lights flicker red at long intervals, leaving deep pools of darkness between them. Scratch marks on the walls count days in a hand that grew shakier as they went.",
    dangerLevel: 3,
    exits: [
      { direction: "east", to: "sewer-junction", staminaCost: 5 },
      { direction: "west", to: "hospital-morgue", staminaCost: 5 },
    ],
  },
  {
    id: "flooded-tunnels",
    name: "Flooded Tunnels",
    description:
      "Chest-deep water fills these collapsed storm drains, thick with floating debris and an oily rainbow sheen. Every step is a blind guess at what lies underfoot. Ripples sometimes move against the current.",
    dangerLevel: 3,
    exits: [{ direction: "west", to: "sewer-junction", staminaCost: 6 }],
  },
  {
    id: "lurker-warren",
    name: "The Lurker Warren",
    description:
      "A cavern clawed out of the earth beneath the sewers, its floor carpeted in gnawed bones and shredded clothing. Pale shapes sleep curled in alcoves dug into the walls. The stench is overwhelming, and the breathing in the dark is not your own.",
    dangerLevel: 4,
    exits: [{ direction: "south", to: "sewer-junction", staminaCost: 7 }],
  },
  {
    id: "meridian-tower-lobby",
    name: "Meridian Tower Lobby",
    description:
      "The marble lobby of the city's tallest skyscraper, its revolving doors shattered and its reception desk buried under fallen ceiling tiles. A bronze statue of the company founder lies decapitated by the dry fountain. The emergency stairwell climbs up into the gloom.",
    dangerLevel: 3,
    exits: [
      { direction: "south", to: "broken-boulevard", staminaCost: 4 },
      { direction: "up", to: "meridian-tower-offices", staminaCost: 8 },
      { direction: "north", to: "st-aurelia-cathedral", staminaCost: 5 },
      { direction: "east", to: "helix-robotics-plant", staminaCost: 5 },
    ],
  },
  {
    id: "meridian-tower-offices",
    name: "Meridian Tower Offices",
    description:
      "Floor after floor of cubicles, ransacked and overgrown with creeping black mould. Wind howls through blown-out windows forty storeys up, scattering old memos like snow. Someone has barricaded the stairwell with desks, and someone else has broken through.",
    dangerLevel: 4,
    exits: [
      { direction: "down", to: "meridian-tower-lobby", staminaCost: 8 },
      { direction: "up", to: "meridian-rooftop", staminaCost: 10 },
    ],
  },
  {
    id: "meridian-rooftop",
    name: "Meridian Rooftop",
    description:
      "The roof of the Meridian Tower, crowned with a crashed gyrocopter and the tattered remains of a sniper's nest. From here you can see the crater's green glow to the east and the Iron Bastion's fires across the river. The wind is strong enough to knock a careless climber off the edge.",
    dangerLevel: 5,
    exits: [{ direction: "down", to: "meridian-tower-offices", staminaCost: 10 }],
  },
  {
    id: "st-aurelia-cathedral",
    name: "St. Aurelia's Cathedral",
    description:
      "A gothic cathedral whose stained-glass windows have been replaced with sheets of scorched metal. The Church of the Second Sun chants here before a bonfire on the altar, worshipping the blast that ended the world. The pews are stacked with charred offerings, and some of them were once alive.",
    dangerLevel: 4,
    exits: [{ direction: "south", to: "meridian-tower-lobby", staminaCost: 5 }],
  },
  {
    id: "glass-canyon",
    name: "Glass Canyon",
    description:
      "The old financial district, where mirrored towers shed their windows onto the streets in glittering drifts. Every step crunches, and the reflections make it easy to mistake your own shadow for an ambush. Patrol drones still hum between the skyscrapers on their endless rounds.",
    dangerLevel: 3,
    exits: [
      { direction: "west", to: "broken-boulevard", staminaCost: 5 },
      { direction: "east", to: "river-span-bridge", staminaCost: 6 },
      { direction: "north", to: "helix-robotics-plant", staminaCost: 6 },
    ],
  },
  {
    id: "helix-robotics-plant",
    name: "Helix Robotics Plant",
    description:
      "A sprawling factory complex behind a fence of electrified razor wire that still sparks now and then. Half-built security drones hang from assembly gantries, and a cracked sign boasts 'HELIX: AUTOMATING TOMORROW'. Deep inside, heavy machinery still grinds away with no one at the controls.",
    dangerLevel: 4,
    exits: [
      { direction: "south", to: "glass-canyon", staminaCost: 6 },
      { direction: "west", to: "meridian-tower-lobby", staminaCost: 5 },
      { direction: "in", to: "assembly-floor", staminaCost: 2 },
    ],
  },
  {
    id: "assembly-floor",
    name: "Helix Assembly Floor",
    description:
      "A cathedral of rusting machinery where robotic arms still weld scrap together in the dark, guided by a mad control core. The products of its labour lumber between the conveyor belts, shedding sparks. The floor is slick with oil and littered with the remains of scavengers who came for the fusion cells.",
    dangerLevel: 5,
    exits: [{ direction: "out", to: "helix-robotics-plant", staminaCost: 2 }],
  },
  {
    id: "river-span-bridge",
    name: "River Span Bridge",
    description:
      "A suspension bridge over the poisoned river, one of its great cables snapped and lashing in the wind. The roadway is a gauntlet of raider barricades, burned-out buses and gaping holes that drop straight to the water. On the far bank, smoke rises from the Iron Bastion.",
    dangerLevel: 4,
    exits: [
      { direction: "west", to: "glass-canyon", staminaCost: 6 },
      { direction: "east", to: "iron-bastion-gate", staminaCost: 6 },
    ],
  },
  {
    id: "iron-bastion-gate",
    name: "Iron Bastion Gate",
    description:
      "The raider stronghold's outer wall, built from flattened cars, shipping containers and the skulls of those who tried to storm it. Gunners watch from makeshift turrets, and a war drum booms somewhere inside. The gate leads into the keep of the Raider Warlord himself.",
    dangerLevel: 4,
    exits: [
      { direction: "west", to: "river-span-bridge", staminaCost: 6 },
      { direction: "south", to: "glowmire-marsh", staminaCost: 7 },
      { direction: "in", to: "bastion-keep", staminaCost: 4 },
    ],
  },
  {
    id: "bastion-keep",
    name: "Bastion Keep",
    description:
      "A cavernous former power station turned into a throne room, its turbines draped with stolen flags and trophies of the slain. Mad King Varro holds court from a throne welded out of engine blocks. Few who enter uninvited ever leave.",
    dangerLevel: 5,
    exits: [{ direction: "out", to: "iron-bastion-gate", staminaCost: 4 }],
  },
] satisfies z.input<typeof locationSchema>[];
