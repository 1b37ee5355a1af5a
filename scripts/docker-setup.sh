#!/usr/bin/env bash
# Docker for the trainer image (npm run trainer:image, wrangler deploy, the container tests), as root
# on Debian: docker.io when there is no docker, buildx when it lacks it (wrangler builds with
# `docker build --load --provenance=false`, buildx flags; bookworm packages no buildx, so the plugin is
# taken from trixie's docker-buildx package, a static binary, without touching apt's sources), and a
# dockerd when none answers (overlay2 where the kernel allows, else vfs). Idempotent.
set -euo pipefail

if ! command -v docker >/dev/null || ! command -v dockerd >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! docker buildx version >/dev/null 2>&1; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "deb http://deb.debian.org/debian trixie main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" download docker-buildx >/dev/null)
  dpkg-deb -x "$work"/docker-buildx_*.deb "$work/x"
  install -D -m 755 "$work/x/usr/libexec/docker/cli-plugins/docker-buildx" \
    /usr/libexec/docker/cli-plugins/docker-buildx
fi

if ! docker info >/dev/null 2>&1; then
  log=/var/log/dockerd-moneymoney.log
  nohup dockerd >"$log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  if ! docker info >/dev/null 2>&1; then
    # No overlay filesystem here: the vfs driver copies layers but works anywhere.
    pkill -F /var/run/docker.pid 2>/dev/null || true
    sleep 1
    nohup dockerd --storage-driver=vfs >"$log" 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  docker info >/dev/null
fi
echo "docker $(docker version --format '{{.Server.Version}}'), buildx $(docker buildx version | cut -d' ' -f2)"
