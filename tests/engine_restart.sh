#!/usr/bin/env bash
# Kills the Docker engine with SIGKILL, reruns the set-up, and checks that
# the engine answers again with its images intact. Skips (77) when it may
# not touch the engine: not root, or DOCKER_HOST names another engine.
set -euo pipefail
src=$1 build=$2
[[ $(id -u) -eq 0 ]] || { echo "skip: needs root"; exit 77; }
case ${DOCKER_HOST:-unix:///var/run/docker.sock} in
unix:///var/run/docker.sock) ;;
*) echo "skip: DOCKER_HOST=$DOCKER_HOST"; exit 77 ;;
esac
ping() { curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null; }
ping || { echo "engine not answering before the test"; exit 1; }
pkill -9 -x dockerd
for _ in $(seq 50); do ping || break; sleep 0.1; done
if ping; then echo "engine still answers after SIGKILL"; exit 1; fi
CLEANROOM_BUILD_DIR=$build "$src/scripts/bootstrap"
ping || { echo "engine did not come back"; exit 1; }
"$build/bin/clnrm" health
echo "engine restarted"
