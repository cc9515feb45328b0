# syntax=docker/dockerfile:1
# The TinyLLM server (@tinyllm/server) as an image. Not built or run where it was written (no
# Docker engine there); `pnpm deploy` and the deployed server were checked without Docker.
#
#   docker build -t tinyllm-server .
#   docker run -p 11435:11435 -e TINYLLM_API_KEYS=change-me tinyllm-server --provider ollama --ollama-host http://host.docker.internal:11434

# --- build: install the workspace, build the server and what it needs, deploy it to /out -------
FROM node:20-bookworm-slim AS build
# node-gyp builds isolated-vm (the code sandbox) and better-sqlite3 (the run and verdict stores).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.9
ENV TURBO_TELEMETRY_DISABLED=1 CI=1
WORKDIR /src
# Packages first, from the lockfile alone, so a source change does not download them again.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm exec turbo run build --filter=@tinyllm/server...
# pnpm 10 deploys without inject-workspace-packages only with --legacy. The embedded engine runs
# on CPU in this image: node-llama-cpp's CUDA and Vulkan builds (~600 MB) are dropped.
RUN pnpm --filter @tinyllm/server deploy --legacy --prod /out \
  && rm -rf /out/node_modules/.pnpm/@node-llama-cpp+*-cuda* /out/node_modules/.pnpm/@node-llama-cpp+*-vulkan*

# --- runtime: the deployed package only, as the non-root `node` user ---------------------------
FROM node:20-bookworm-slim
# isolated-vm (run_python / run_javascript and the gate's code check) needs Node without its startup snapshot.
ENV NODE_ENV=production NODE_OPTIONS=--no-node-snapshot
WORKDIR /app
COPY --from=build /out /app
# The run and verdict stores (.tinyllm/runs.db, .tinyllm/verdicts.db): mount a volume here to keep them.
RUN mkdir -p /app/.tinyllm && chown node:node /app/.tinyllm
USER node
EXPOSE 11435
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:11435/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
# Listening beyond loopback needs TINYLLM_API_KEYS=key1,key2: without it the server refuses to start.
CMD ["--host", "0.0.0.0"]
