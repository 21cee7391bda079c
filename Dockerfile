# syntax=docker/dockerfile:1
# The bot as one container image: the same image runs locally, in tests and in Azure Container Apps.
# Build:  docker build -t teams-service-bot .   (or: buildah bud --format docker -t teams-service-bot .)
# Run:    docker run -p 3978:3978 --env-file <your env file> teams-service-bot
# No secrets are baked in: every credential comes from the environment at run time.
ARG BASE_IMAGE=node:22-bookworm-slim

# --- build: dev dependencies, TypeScript compile, then drop the dev dependencies -------------------
FROM ${BASE_IMAGE} AS build
WORKDIR /app
# Lifecycle scripts are not needed to compile or run the bot (no native addon is required at run time).
ARG NPM_CONFIG_PREFER_OFFLINE=false
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: production dependencies, compiled code and the run-time assets only ----------------
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    KNOWLEDGE_INDEX_PATH=/app/.data/knowledge-index.json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY config ./config
COPY data/knowledge ./data/knowledge
COPY data/nlu ./data/nlu
COPY data/sample ./data/sample
COPY src/prompts ./src/prompts
COPY src/storage/containers.json ./src/storage/containers.json
# The only writable folder: the embedded knowledge index (uid/gid 1000 is the `node` user of the
# official Node images). Node itself creates it, so the base image needs no shell tools.
RUN ["node", "-e", "const fs=require('fs');fs.mkdirSync('/app/.data');fs.chownSync('/app/.data',1000,1000)"]
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/index.js"]
