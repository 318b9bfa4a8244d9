# prompt-service: the compiled service, its pipelines and production dependencies on top of
# prompt-base. One image for every program; the command picks it:
#   prompt-service (default)  the prompt service (POST /next-visit)
#   prompt-fanout             next_visit fan-out to one message per detector
#   prompt-bridge             bucket-notification bridge
#   prompt-apdb, prompt-repo  APDB and central-repo administration, incl. the daily initializer
#   prompt-tester, prompt-fits  test uploads and FITS tools
# prompt-NAME runs build/service/entrypoints/prompt-NAME.js. Built by .github/workflows/build-service.yml.

# The base to build on: an image and one tag of BASE_TAG_LIST. The default tag is an exact runtime
# so a local build is reproducible; the workflows pass each tag they build against.
ARG BASE_IMAGE=prompt-base
ARG BASE_TAG=node20.20.2

FROM ${BASE_IMAGE}:${BASE_TAG} AS build
# The build stage writes node_modules and build/ under /app; only its results reach the final image.
USER root
WORKDIR /app
COPY package.json package-lock.json ./
# The base sets NODE_ENV=production, which would skip the compiler; install scripts are not needed.
RUN npm ci --include=dev --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY service ./service
COPY tester ./tester
COPY pipelines ./pipelines
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${BASE_IMAGE}:${BASE_TAG} AS runtime
ARG BASE_TAG
ARG SOURCE_REVISION=unknown
LABEL org.opencontainers.image.title="prompt-service" \
  org.opencontainers.image.revision="${SOURCE_REVISION}" \
  org.lsst.prompt.base-tag="${BASE_TAG}"

USER root
WORKDIR /app
# Pipeline selection configs name files as ${PROMPT_PROCESSING_DIR}/pipelines/<INST>/<Pipeline>.yaml,
# as upstream's do.
ENV APP_HOME=/app \
  PROMPT_PROCESSING_DIR=/app \
  PATH=/app/bin:$PATH
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/pipelines ./pipelines
# One launcher per program. Source maps make stack traces in the logs point at the TypeScript.
RUN mkdir -p /app/bin \
  && for name in service fanout bridge apdb repo tester fits; do \
    printf '#!/bin/sh\nexec node --enable-source-maps /app/build/service/entrypoints/prompt-%s.js "$@"\n' "$name" \
      > "/app/bin/prompt-$name"; \
    chmod 0755 "/app/bin/prompt-$name"; \
  done

# Logging is unbuffered without a setting (upstream needs PYTHONUNBUFFERED): Node writes stdout
# synchronously to pipes and files on Linux, and pino's default destination is synchronous, so
# the last lines before a crash or a SIGKILL reach the pod log.

# Code stays owned by root and read-only to the service user.
USER 17951:4085
# No Docker health check: the same image runs one-shot CLIs and Jobs, where one would be wrong.
# The service's readiness and liveness probes belong to its Knative Service (docs/release.md).
HEALTHCHECK NONE
# Pick another program with Kubernetes `args` (or after the image name in `docker run`); setting
# `command` would replace tini and lose signal forwarding.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["prompt-service"]
