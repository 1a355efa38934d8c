#!/usr/bin/env bash
# Makes sure the services the tests talk to are up. PostgreSQL and Redis are expected on this
# machine (CI fails, not skips, without them); later services (IMAP, a browser) are added here.
set -euo pipefail

wait_for() {  # name host port
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/$2/$3") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "test-services: $1 is not reachable on $2:$3" >&2
  return 1
}

if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
fi
wait_for PostgreSQL 127.0.0.1 5432
wait_for Redis 127.0.0.1 6379
