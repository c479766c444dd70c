#!/usr/bin/env bash
# The project's one test command (README "npm test", .ci/run): installs what
# the tests need when it is missing (Debian and npm packages), builds, and
# runs the unit and system suites.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Cyclone DDS runtime, headers and idlc; gcc for the type
# support; Prometheus and promtool for the rule and config checks; iproute2
# for the network-partition harness; debootstrap for the Docker lab's stand-in
# base images (docker.io itself is installed by engine/dockerd.sh when no
# engine is reachable).
DEB_PACKAGES=(libddsc0debian cyclonedds-dev cyclonedds-tools gcc prometheus iproute2 debootstrap)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "test: installing missing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
  else
    echo "test: cannot install ${missing[*]} (not root, no passwordless sudo)." >&2
    echo "test: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${apt_get[@]}" update -qq
  if ! "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/tmp/cms-lab-apt.log 2>&1; then
    tail -20 /tmp/cms-lab-apt.log >&2
    echo "test: apt-get could not install ${missing[*]} (log above, full log in /tmp/cms-lab-apt.log)." >&2
    exit 1
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

npm run --silent build

# A Docker engine for the Docker-lab suite (test/engine): the caller's, or a private
# dockerd started here and stopped at the end. Where none can be had, say why and run the rest.
if engine="$(bash engine/dockerd.sh start)"; then
  export "${engine?}"
  export CMS_LAB_REQUIRE_DOCKER=1
  trap 'bash engine/dockerd.sh stop' EXIT
  echo "test: Docker engine at ${DOCKER_HOST#unix://} ($(docker version --format '{{.Server.Version}}'))"
else
  unset CMS_LAB_REQUIRE_DOCKER
  echo "test: the Docker-lab suite (test/engine) is skipped: see the reason above"
fi

npx jest --ci --selectProjects unit "$@"
system=(npx jest --ci --selectProjects system --runInBand)
if [ -z "${CMS_LAB_REQUIRE_DOCKER:-}" ] || [ $# -gt 0 ]; then
  "${system[@]}" "$@"
  exit
fi
# One after the other the system suites took over an hour. The Docker-lab suite (test/engine: two Docker labs at
# once, on engine lanes) runs beside the suites that start a few native services; the native matrix (three native
# labs at once) runs after it. An idle Docker lab keeps 0.6 of a core busy here and the native matrix about one
# core, so the 2-core machine never holds more than about 1.5 cores of labs. Lines of the Docker-lab suite are
# prefixed [engine]; the exit status is non-zero when any of the three failed.
status=0
"${system[@]}" --testPathPattern 'test/engine/' > >(sed -u 's/^/[engine] /') 2>&1 &
engine_suite=$!
# on an interrupt, the Docker-lab suite gets SIGINT and up to 2 min to end before the private engine and its
# lanes stop (stopping a dockerd stops its containers; the next start removes what is left)
stop_engine_suite() {
  if kill -0 "$engine_suite" 2>/dev/null; then
    kill -INT "$engine_suite" 2>/dev/null || true
    for _ in $(seq 240); do kill -0 "$engine_suite" 2>/dev/null || break; sleep 0.5; done
  fi
  bash engine/dockerd.sh stop
}
trap stop_engine_suite EXIT
"${system[@]}" --testPathIgnorePatterns 'test/engine/' 'test/runner/matrix' || status=$?
wait "$engine_suite" || status=$?
"${system[@]}" --testPathPattern 'test/runner/matrix' || status=$?
exit "$status"
