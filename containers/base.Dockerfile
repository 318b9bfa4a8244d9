# prompt-base: the Node.js runtime and the few system packages the prompt service needs. Every
# service image is built on one of its tags (BASE_TAG_LIST), so it changes rarely and on purpose:
# a new Node.js release or a new system package. Built by .github/workflows/build-base.yml.

# The exact Node.js release; build-base.yml's "runtime version" input overrides it. Exact, not "20",
# so that rebuilding the same commit gives the same runtime.
ARG NODE_VERSION=20.20.2
FROM node:${NODE_VERSION}-bookworm-slim

# tini runs as PID 1 and forwards SIGTERM to node, so the service's graceful shutdown (stop taking
# visits, close Kafka consumers, leave the APDB consistent) runs when Kubernetes stops the pod;
# node as PID 1 would ignore the signal. ca-certificates: TLS to S3, Kafka and Postgres.
# Everything else the service uses (pg, kafkajs, the AWS SDK, the FITS codec) is JavaScript.
RUN apt-get update \
  && apt-get install --yes --no-install-recommends ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*

# Upstream's service account (lsstsvc1, uid 17951, gid 4085): files written to shared storage keep
# the owner operators expect. USER is numeric so Kubernetes can enforce runAsNonRoot.
RUN groupadd --gid 4085 lsstsvc1 \
  && useradd --uid 17951 --gid 4085 --create-home --home-dir /home/lsstsvc1 --shell /usr/sbin/nologin lsstsvc1

ENV NODE_ENV=production

# No Docker health check: the base runs no server. Service probes are described in docs/release.md.
HEALTHCHECK NONE
USER 17951:4085
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node"]
