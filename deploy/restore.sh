#!/usr/bin/env bash
# Restore a database backup of deploy/backup.sh into an empty database, then ANALYZE (pg_restore
# brings back no planner statistics: pages are slow until it has run) and check that the code
# and the restored schema agree (migrate --check).
#
#   AGE_IDENTITY=~/lonservice-backup.key deploy/restore.sh BACKUP.dump.age postgres://.../lonservice_restore
#
# Environment:
#   AGE_IDENTITY   the age private key file (kept off the database host)
#   RESTORE_JOBS   parallel pg_restore jobs (default 2)
#   MANAGE         how to run manage.py (default: .venv/bin/python manage.py, else python3 manage.py);
#                  with docker compose: MANAGE="docker compose run --rm -e DATABASE_URL web python manage.py"
set -euo pipefail

backup=${1:?usage: restore.sh BACKUP.dump.age TARGET_DATABASE_URL}
target=${2:?usage: restore.sh BACKUP.dump.age TARGET_DATABASE_URL}
: "${AGE_IDENTITY:?set AGE_IDENTITY to the age private key file}"
cd "$(dirname "$0")/.."
if [ -z "${MANAGE:-}" ]; then
  if [ -x .venv/bin/python ]; then MANAGE=".venv/bin/python manage.py"; else MANAGE="python3 manage.py"; fi
fi

started=$SECONDS
if [ -f "$backup.sha256" ]; then
  (cd "$(dirname "$backup")" && sha256sum --check --quiet "$(basename "$backup").sha256")
  echo "checksum ok"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
# A file, not a pipe: pg_restore runs its jobs in parallel only from a file.
age --decrypt -i "$AGE_IDENTITY" -o "$work/dump" "$backup"
pg_restore --list "$work/dump" >/dev/null
pg_restore --dbname="$target" --no-owner --no-privileges --exit-on-error --jobs="${RESTORE_JOBS:-2}" "$work/dump"
restored=$SECONDS
psql --quiet --no-psqlrc --dbname="$target" --command=ANALYZE
analyzed=$SECONDS
DATABASE_URL="$target" $MANAGE migrate --check
echo "restored in $((restored - started)) s, ANALYZE $((analyzed - restored)) s, migrate --check ok; total $((SECONDS - started)) s"
