#!/usr/bin/env bash
# Starts PostgreSQL and Redis when they are installed here but not running; otherwise says how to
# get them. Used by `npm run demo` and by .ci/run.
set -u
PGHOST=${PGHOST:-127.0.0.1}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}

wait_for() { # name, command
  for _ in $(seq 1 60); do eval "$2" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "$1 did not become ready" >&2; return 1
}

pg_up() { pg_isready -h "$PGHOST" -p 5432 -q 2>/dev/null || (echo > /dev/tcp/$PGHOST/5432) 2>/dev/null; }
redis_up() { redis-cli -h "$REDIS_HOST" -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL..." >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_for PostgreSQL pg_up || exit 1
  else
    echo "PostgreSQL is not running on $PGHOST:5432 and is not installed here." >&2
    echo "Start it with 'docker compose up -d' (docker-compose.yml) or install PostgreSQL 15+." >&2
    exit 1
  fi
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis..." >&2
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --maxmemory-policy noeviction --dir /var/lib/redis --logfile /var/log/redis/ci.log || \
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --maxmemory-policy noeviction
    wait_for Redis redis_up || exit 1
  else
    echo "Redis is not running on $REDIS_HOST:6379 and is not installed here." >&2
    echo "Start it with 'docker compose up -d' (docker-compose.yml) or install Redis 7+." >&2
    exit 1
  fi
fi
# BullMQ needs noeviction; set it where we may (a managed Redis may refuse CONFIG).
redis-cli -h "$REDIS_HOST" -p 6379 config set maxmemory-policy noeviction >/dev/null 2>&1 || true
echo "PostgreSQL and Redis are up" >&2
