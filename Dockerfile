# Multi-stage build of the game's processes on the current Node.js LTS (26). Targets: api, worker, migrate.
#   docker build --target api -t echoes-api .
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages/db/package.json packages/db/
COPY packages/shared/package.json packages/shared/
COPY packages/client/package.json packages/client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:26-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages/db/package.json packages/db/
COPY packages/shared/package.json packages/shared/
COPY packages/client/package.json packages/client/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/db/drizzle packages/db/drizzle
USER node

FROM runtime AS api
COPY --from=build --chown=node:node /app/apps/api/dist apps/api/dist
COPY --from=build --chown=node:node /app/apps/api/assets apps/api/assets
# The API reference page's script, the one file of @scalar/api-reference (a development dependency) it needs.
COPY --from=build --chown=node:node /app/node_modules/@scalar/api-reference/dist/browser/standalone.js apps/api/reference/standalone.js
ENV API_REFERENCE_BUNDLE=/app/apps/api/reference/standalone.js
COPY --from=build --chown=node:node /app/apps/web/dist apps/web/dist
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "apps/api/dist/main.js"]

FROM runtime AS worker
COPY --from=build --chown=node:node /app/apps/worker/dist apps/worker/dist
EXPOSE 9101
CMD ["node", "--enable-source-maps", "apps/worker/dist/main.js"]

FROM runtime AS migrate
COPY --from=build --chown=node:node /app/packages/db/dist packages/db/dist
CMD ["sh", "-c", "node packages/db/dist/cli.js seed"]
