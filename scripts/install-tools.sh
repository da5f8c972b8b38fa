#!/bin/sh
# Installs the real tools the tests run against, from Debian's packages, when
# they are missing: promtool and prometheus (prometheus), git, and for the
# cluster suite etcd (etcd-server), openssl and redis-server (for Argo CD). Go (1.26) must be on PATH: the
# cluster suite builds the upstream controllers with it.
set -eu
missing=""
need() { command -v "$1" >/dev/null 2>&1 || case " $missing " in *" $2 "*) ;; *) missing="$missing $2" ;; esac; }
need promtool prometheus
need prometheus prometheus
need git git
need etcd etcd-server
need openssl openssl
need redis-server redis-server
command -v go >/dev/null 2>&1 || echo "install-tools: Go is not on PATH; the cluster suite (npm run cluster) needs Go 1.26" >&2
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "install-tools: need$missing; install them (apt-get install -y --no-install-recommends$missing) and run again" >&2
  exit 1
fi
echo "install-tools: installing$missing from Debian's packages" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
