# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript, the workbench (web/) and better-sqlite3's native module, then drops dev dependencies.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY src ./src
COPY web ./web
COPY examples ./examples
RUN npm ci && npm prune --omit=dev

# Runtime stage: small Debian image with the same glibc, non-root, policies and data as volumes.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 POLICY_DIR=/app/policies AUDIT_URL=sqlite:/app/data/audit.db \
    API_KEYS_FILE=/app/data/api-keys.yaml AUDIT_KEY_FILE=/app/data/audit.key
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node policies ./policies
# `tideover` on PATH (package.json "bin"): the CLI's compiled entry starts with #!/usr/bin/env node.
RUN mkdir -p /app/data && chown node:node /app/data \
  && chmod +x /app/dist/src/adapters/cli/main.js && ln -s /app/dist/src/adapters/cli/main.js /usr/local/bin/tideover
USER node
VOLUME ["/app/policies", "/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "--heap-growing-percent=50", "--v8-pool-size=2", "dist/src/main.js"]
