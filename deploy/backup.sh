#!/usr/bin/env bash
# Nightly logical backup of the Floorcast database (docs/operations.md §8), e.g. from cron at 02:00:
#   0 2 * * *  floorcast  BACKUP_DIR=/var/backups/floorcast PGDATABASE=postgres://… /opt/floorcast/deploy/backup.sh
# Writes floorcast-<UTC>.dump (pg_dump custom format: consistent snapshot, does not block writers) and
# globals-<UTC>.sql (roles), deletes local copies older than RETENTION_DAYS. Copy the directory off-box.
# Default database: the local cluster's / single node's embedded PostgreSQL on 127.0.0.1:15432.
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-./data/backups}
PGDATABASE=${PGDATABASE:-postgres://postgres@127.0.0.1:15432/postgres}
RETENTION_DAYS=${RETENTION_DAYS:-7}

die() { echo "backup: $*" >&2; exit 1; }
command -v pg_dump >/dev/null || die "pg_dump is required"
[[ "$RETENTION_DAYS" =~ ^[0-9]+$ ]] || die "RETENTION_DAYS must be a number"

# pg_dump refuses servers of a newer major version; say so before starting
client_major=$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
server_major=$(psql "$PGDATABASE" -Atc "SHOW server_version_num" | cut -c1-2)
if [ "$client_major" -lt "$server_major" ]; then
  die "pg_dump $client_major cannot dump PostgreSQL $server_major: install postgresql-client-$server_major"
fi

mkdir -p "$BACKUP_DIR"
ts=$(date -u +%Y%m%dT%H%M%SZ)
pg_dump -Fc -f "$BACKUP_DIR/floorcast-$ts.dump.partial" "$PGDATABASE"
mv "$BACKUP_DIR/floorcast-$ts.dump.partial" "$BACKUP_DIR/floorcast-$ts.dump"
pg_dumpall --globals-only --no-role-passwords -d "$PGDATABASE" >"$BACKUP_DIR/globals-$ts.sql"
find "$BACKUP_DIR" -name 'floorcast-*.dump' -mtime +"$RETENTION_DAYS" -delete
find "$BACKUP_DIR" -name 'globals-*.sql' -mtime +"$RETENTION_DAYS" -delete
echo "backup: $BACKUP_DIR/floorcast-$ts.dump ($(du -h "$BACKUP_DIR/floorcast-$ts.dump" | cut -f1))"
