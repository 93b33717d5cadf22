# syntax=docker/dockerfile:1
#
# Oficina: multi-stage image. The build stage compiles with the -dev packages; the runtime stage
# holds only the shared libraries, the two binaries and migrations/, and runs as uid 10001.
#
#   podman build -t oficina:dev .         (or: buildah bud / docker build)
#   podman run --rm -e DATABASE_URL=... -e JWT_SECRET=... -p 8080:8080 oficina:dev
#   podman run --rm -e DATABASE_URL=... oficina:dev migrate up

ARG DEBIAN_IMAGE=debian:12-slim

FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential pkg-config nodejs npm \
      libmicrohttpd-dev libpq-dev libjansson-dev libjwt-dev libsodium-dev libcurl4-openssl-dev librabbitmq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# OPT without -g (no debug info in the image); the warnings and -Werror of the Makefile stay.
# make runs npm ci first (package-lock.json): the spec and Swagger UI are embedded in the binary.
RUN make -j"$(nproc)" OPT=-O2 all \
 && strip --strip-unneeded build/oficina build/oficina-authorizer

FROM ${DEBIAN_IMAGE} AS runtime
# libcurl4: the notifier (SMTP) and oficina-authorizer (the Lambda Runtime API client);
# librabbitmq4: the relay, the notifier and `oficina eventos`.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libmicrohttpd12 libpq5 libjansson4 libjwt0 libsodium23 libcurl4 librabbitmq4 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt/* /var/log/dpkg.log \
 && groupadd --gid 10001 oficina \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin oficina
WORKDIR /app
COPY --from=build /src/build/oficina /src/build/oficina-authorizer /app/
COPY --from=build /src/migrations/ /app/migrations/
ENV MIGRATIONS_DIR=/app/migrations \
    PORT=8080
# Numeric so that Kubernetes can check runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready (k8s/base/deployment.yaml).
ENTRYPOINT ["/app/oficina"]
CMD ["serve"]
