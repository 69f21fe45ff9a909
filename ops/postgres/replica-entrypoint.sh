#!/bin/sh
# A streaming read replica: on first start, clone the primary with pg_basebackup (-R writes the
# standby settings), then run PostgreSQL as a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres -p 5432 -U "$POSTGRES_USER"; do sleep 1; done
  rm -rf "$PGDATA"/*
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres -p 5432 -U replicator -D "$PGDATA" -R -X stream -c fast
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c shared_preload_libraries=pg_stat_statements -c log_min_duration_statement=100
