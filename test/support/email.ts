import type { GameHandle } from "./fights";
import type { TestGame } from "./game";
import { type Response, eventually } from "./http";
import { type TestSmtpServer, linkToken } from "./smtp";

/** Sets a player's address through the API and verifies it with the token from the email it received. */
export async function verifyAddress(game: TestGame, smtp: TestSmtpServer, token: string, address: string): Promise<void> {
  const before = smtp.to(address).length;
  const set = await game.call("PUT", "/v1/me/email", { token, body: { email: address } });
  if (set.status !== 202) throw new Error(`PUT /v1/me/email: ${set.status} ${JSON.stringify(set.body)}`);
  const received = await smtp.waitFor(address, before + 1);
  const verified = await game.call("POST", "/v1/auth/email/verify", { body: { token: linkToken(received.mail, "/v1/auth/email/verify") } });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
}

/**
 * Lets a player with 1 HP attack a Raider where they stand until the fight ends; returns the
 * last turn's result (the player lost, unless the Raider missed every blow and died first).
 */
export async function fightToTheEnd(game: Pick<GameHandle, "sql" | "call">, playerId: number, token: string): Promise<Response> {
  const [{ location_id }] = await game.sql("update players set hp = 1 where id = $1 returning location_id", [playerId]);
  const [{ id: enemyId }] = await game.sql(
    "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('raider', $1, 5000, 5000) returning id",
    [location_id],
  );
  const engaged = await game.call("POST", "/v1/combat", { token, body: { enemyId } });
  if (engaged.status !== 201) throw new Error(`engage: ${engaged.status} ${JSON.stringify(engaged.body)}`);
  for (let turn = 1; turn <= 50; turn++) {
    const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    if (acted.status !== 202) throw new Error(`attack: ${acted.status} ${JSON.stringify(acted.body)}`);
    const done = await eventually(
      async () => {
        const job = await game.call("GET", `/v1/jobs/${acted.body.jobId}`, { token });
        return job.body.state === "completed" || job.body.state === "failed" ? job : null;
      },
      20_000,
      `turn ${turn}`,
    );
    if (done.body.result?.outcome !== "ongoing") return done;
  }
  throw new Error("the fight did not end in 50 turns");
}
