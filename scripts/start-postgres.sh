#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test run (Debian's postgresql package) and prints the URL
# to use, e.g.: export SPINLENS_TEST_POSTGRES_URL=$(bash scripts/start-postgres.sh)
# Needs root (apt) the first time; prints nothing and exits 1 when no server can be started.
set -uo pipefail
log=${TMPDIR:-/tmp}/spinlens-postgres.log
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >>"$log" 2>&1 || exit 1
  else
    exit 1
  fi
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=${TMPDIR:-/tmp}/spinlens-pgdata
port=${SPINLENS_PG_PORT:-55432}
run_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data" && { [ "$(id -u)" != 0 ] || chown postgres "$data"; }
  run_as "$bin/initdb" -D "$data" -U postgres --auth=trust >>"$log" 2>&1 || exit 1
fi
if ! run_as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  run_as "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >>"$log" 2>&1 || exit 1
fi
run_as "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='spinlens_test'" | grep -q 1 \
  || run_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres spinlens_test >>"$log" 2>&1 || exit 1
echo "postgresql://postgres@127.0.0.1:$port/spinlens_test"
