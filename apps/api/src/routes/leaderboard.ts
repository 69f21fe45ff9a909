import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { LEADERBOARDS, leaderboardFromDatabase } from "@echoes/db";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { knownPlayer } from "../middleware/auth";
import { sendJson } from "../respond";
import { LeaderboardSchema, errors, json } from "../schemas";

const board = createRoute({
  method: "get",
  path: "/v1/leaderboard",
  operationId: "getLeaderboard",
  tags: ["world"],
  summary: "Top players by kills, XP or level",
  description: "From Redis sorted sets kept by the statistics worker; from PostgreSQL while those are empty or unreachable.",
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      by: z
        .enum(LEADERBOARDS)
        .default("kills")
        .openapi({ param: { name: "by", in: "query" } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(10)
        .openapi({ param: { name: "limit", in: "query" } }),
    }),
  },
  responses: { 200: json(LeaderboardSchema, "The leaderboard"), ...errors(400, 401, 503) },
});

export function registerLeaderboardRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.use(board.path, knownPlayer(deps));
  app.openapi(board, async (c) => {
    const { by, limit } = c.req.valid("query");
    const body = await deps.cache.leaderboard(`${by}:${limit}`, async () => {
      const cached = await deps.leaderboards.top(by, limit).catch(() => null);
      if (cached) return JSON.stringify({ by, source: "redis", entries: cached });
      return JSON.stringify({ by, source: "database", entries: await leaderboardFromDatabase(deps.database, by, limit) });
    });
    return sendJson(c, body);
  });
}
