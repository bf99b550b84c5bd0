# gauntlet as a container image: what the Kubernetes manifests in deploy/kubernetes/ run (ghcr.io/your-org/gauntlet).
#
#   docker build -t ghcr.io/your-org/gauntlet:0.1.0 .
#
# The first stage compiles the TypeScript and packs the package exactly as npm would publish it; the image then
# installs that package with its production dependencies only, at the versions of package-lock.json.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Every dependency, for the compiler. No install scripts: the sources are not here yet for `prepare`, and nothing
# native is needed to compile.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir /pack \
 && npm pack --ignore-scripts --pack-destination /pack \
 && mv /pack/gauntlet-*.tgz /pack/gauntlet.tgz

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/gauntlet
COPY --from=build /pack/gauntlet.tgz /src/package-lock.json /tmp/
# --ignore-scripts: `prepare` would compile again (the package holds dist/ already), and the optional native
# better-sqlite3 (only the reference server's key store uses it) is left unbuilt. ioredis, which workers and the
# coordinator use, is plain JavaScript.
RUN tar -xzf /tmp/gauntlet.tgz --strip-components=1 \
 && mv /tmp/package-lock.json . \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm /tmp/gauntlet.tgz \
 && chmod 0755 bin/gauntlet.js \
 && ln -s /opt/gauntlet/bin/gauntlet.js /usr/local/bin/gauntlet
# The image's node user, by number, so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
ENTRYPOINT ["gauntlet"]
CMD ["--help"]
