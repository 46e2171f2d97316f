# shellcheck shell=bash disable=SC2034,SC2154  # compose_cmd is for the caller, work is its
# Sourced by the compose tests (compose_e2e.sh, compose_federation_e2e.sh): what they need of Docker,
# had the same way. The caller defines skip (exit 77 with the reason), say and fail, and $work (its
# temporary folder).
#   docker_find_compose   compose_cmd=(docker-compose) (Debian's 1.29) or (docker compose) (v2)
#   docker_engine         a Docker engine: as root, Debian's dockerd is started when none answers
#                         (started_dockerd holds its pid; docker_stop_engine stops it)
#   docker_base_image     debian:12: present, pulled, or made with debootstrap from Debian's mirror
#   docker_build_image    builds wahana:local from deploy/docker/Dockerfile (repo root: $1)

started_dockerd=""

docker_find_compose() {
  command -v docker >/dev/null || skip "no docker command (Debian package docker.io)"
  if command -v docker-compose >/dev/null; then
    compose_cmd=(docker-compose)
  elif docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
  else
    skip "neither docker-compose (Debian package docker-compose) nor Compose v2"
  fi
}

docker_engine() {
  docker info >/dev/null 2>&1 && return 0
  [[ $(id -u) == 0 ]] || skip "no Docker engine answers, and only root may start one"
  command -v dockerd >/dev/null || skip "no Docker engine answers and dockerd is not installed"
  say "starting dockerd (log: $work/dockerd.log)"
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$started_dockerd" 2>/dev/null || skip "dockerd exited at start: $(tail -n 3 "$work/dockerd.log")"
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || skip "dockerd did not answer in 30 s: $(tail -n 3 "$work/dockerd.log")"
}

docker_stop_engine() {
  [[ -n $started_dockerd ]] || return 0
  kill "$started_dockerd" 2>/dev/null || true
  wait "$started_dockerd" 2>/dev/null || true
}

docker_base_image() {
  docker image inspect debian:12 >/dev/null 2>&1 && return 0
  timeout 60 docker pull -q debian:12 >/dev/null 2>&1 && return 0
  command -v debootstrap >/dev/null || skip "no debian:12 image, none can be pulled, and debootstrap is not installed"
  [[ $(id -u) == 0 ]] || skip "no debian:12 image, none can be pulled, and only root may debootstrap"
  say "making debian:12 with debootstrap (no image registry reachable)"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: $(tail -n 5 "$work/debootstrap.log")"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import - debian:12 >/dev/null || fail "docker import failed"
  rm -rf "$work/rootfs"
}

docker_build_image() {
  say "building wahana:local (once; the services all run it)"
  SECONDS=0
  docker build -q -f "$1/deploy/docker/Dockerfile" -t wahana:local "$1" >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; fail "docker build failed"; }
  say "image built in ${SECONDS}s"
}
