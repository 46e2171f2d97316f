#!/usr/bin/env bash
# Installs the Debian 12 packages Wahana needs to build, run and test. Idempotent: packages already
# present are skipped, so a second run costs one dpkg query.
set -euo pipefail
#   install-deps.sh               everything: build, run, test (deploy/local/run.sh, tests/run.sh)
#   install-deps.sh --build-only  what compiling the suite needs (the image's build stage)

build_packages=(
  build-essential cmake pkg-config
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev
  golang-github-gogo-googleapis-dev   # google/api/annotations.proto + http.proto, read at build time
  libhiredis-dev libcsv-dev
  libjemalloc-dev   # the services' allocator (CMakeLists.txt: wahana_link_allocator)
  libabsl-dev libspdlog-dev nlohmann-json3-dev libboost-dev libboost-system-dev libssl-dev libjwt-dev
  prometheus-cpp-dev   # Prometheus metrics: core (registry, text) and pull (the services' /metrics)
  libqrencode-dev libpng-dev   # check-in codes as QR images, SVG and PNG (services/event/checkin_qr.cc)
)
run_and_test_packages=(
  redis-server
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  curl ca-certificates procps python3
  openssl   # deploy/local/run.sh and deploy/docker/make-secrets.sh make the token issuer's key pair
  python3-grpcio python3-protobuf   # tests/deploy/grpc_examples.py: the README's grpcurl calls
  python3-cryptography   # tests/clients/grpc_client.py checks a token's RS256 signature
  tzdata   # /usr/share/zoneinfo: WAHANA_TIME_ZONE (Asia/Jakarta ...) is loaded from it
  clang clang-format   # tests/style: -Wthread-safety over services/ and gateway/; the format check
  # tests/deploy/compose_e2e.sh: Debian's Docker engine and docker-compose 1.29, and debootstrap
  # to make the debian:12 base image where no image registry is reachable.
  docker.io docker-compose debootstrap
)

packages=("${build_packages[@]}")
case "${1:-}" in
  --build-only) ;;
  "") packages+=("${run_and_test_packages[@]}") ;;
  *) echo "usage: install-deps.sh [--build-only]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The redis-server package starts a system instance on 6379; Wahana runs its own instances.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
