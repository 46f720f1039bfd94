#!/usr/bin/env bash
# Nightly backup of Lönservice: the database (pg_dump, custom format) and, when MEDIA_DIR is set,
# the uploaded files; each encrypted with age to the recipients' public keys, verified, and
# rotated: the 30 newest nightly backups and the first of each of the 12 newest months are kept,
# every other one is deleted. Nothing is kept for ever.
#
#   deploy/backup.sh                       back up, verify, rotate
#   deploy/backup.sh --rotate --dry-run    only list what rotation would delete
#
# Environment:
#   BACKUP_DIR       where the backups go (default /backup/lonservice)
#   AGE_RECIPIENTS   file of age public keys, one a line (default /etc/lonservice/backup-recipients.txt);
#                    the private keys are NOT on this host (README, Backups)
#   DATABASE_URL     the database to dump, or DUMP_CMD / LIST_CMD for docker compose:
#                    DUMP_CMD="docker compose exec -T db pg_dump --format=custom -U lonservice lonservice"
#                    LIST_CMD="docker compose exec -T db pg_restore --list"
#   MEDIA_DIR        optional: the media folder (docker: the volume's _data folder)
#   KEEP_NIGHTLY, KEEP_MONTHLY   30 and 12
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-/backup/lonservice}
AGE_RECIPIENTS=${AGE_RECIPIENTS:-/etc/lonservice/backup-recipients.txt}
KEEP_NIGHTLY=${KEEP_NIGHTLY:-30}
KEEP_MONTHLY=${KEEP_MONTHLY:-12}

# The files of one kind (PREFIX-YYYY-MM-DD.*) that the policy does not keep, oldest first.
expired() {
  local prefix=$1 all
  all=$(find "$BACKUP_DIR" -maxdepth 1 -type f -name "$prefix-*" ! -name '*.sha256' ! -name '*.part' -printf '%f\n' \
    | grep -E "^$prefix-[0-9]{4}-[0-9]{2}-[0-9]{2}\." | sort)
  [ -n "$all" ] || return 0
  local keep
  keep=$( {
    tail -n "$KEEP_NIGHTLY" <<<"$all"
    # The first backup of each month, for the newest KEEP_MONTHLY months.
    awk -v n=${#prefix} '{ month = substr($0, n + 2, 7) } !(month in seen) { seen[month]; print }' <<<"$all" \
      | tail -n "$KEEP_MONTHLY"
  } | sort -u)
  comm -23 <(printf '%s\n' "$all") <(printf '%s\n' "$keep")
}

rotate() {
  local dry_run=$1 prefix name
  for prefix in lonservice media; do
    while read -r name; do
      [ -n "$name" ] || continue
      if [ "$dry_run" = yes ]; then
        echo "would delete $name"
      else
        rm -f -- "$BACKUP_DIR/$name" "$BACKUP_DIR/$name.sha256"
        echo "deleted $name"
      fi
    done < <(expired "$prefix")
  done
}

backup_database() {
  local target=$1
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkfifo "$work/list"
  # The dump is read back while it is written: its table of contents must list the invoices.
  { ${LIST_CMD:-pg_restore --list} >"$work/toc" && cat >/dev/null; } <"$work/list" &
  local lister=$!
  ${DUMP_CMD:-pg_dump --format=custom --dbname=${DATABASE_URL:?set DATABASE_URL or DUMP_CMD}} \
    | tee "$work/list" | age --encrypt -R "$AGE_RECIPIENTS" >"$target.part"
  wait "$lister" || { rm -f "$target.part"; echo "backup: the dump cannot be read back" >&2; return 1; }
  grep -q "TABLE DATA public invoicing_invoice " "$work/toc" \
    || { rm -f "$target.part"; echo "backup: the dump holds no invoice table" >&2; return 1; }
  seal "$target"
}

# Record the encrypted file's checksum, move it in place, and check it as read back from disk.
seal() {
  local target=$1
  sync "$target.part"
  (cd "$BACKUP_DIR" && sha256sum "$(basename "$target").part" | sed 's/\.part$//' >"$(basename "$target").sha256")
  mv -- "$target.part" "$target"
  (cd "$BACKUP_DIR" && sha256sum --check --quiet "$(basename "$target").sha256")
}

main() {
  if [ "${1:-}" = --rotate ]; then
    rotate "$([ "${2:-}" = --dry-run ] && echo yes || echo no)"
    return
  fi
  [ -r "$AGE_RECIPIENTS" ] || { echo "backup: no age recipients file at $AGE_RECIPIENTS" >&2; exit 1; }
  mkdir -p "$BACKUP_DIR"
  chmod 700 "$BACKUP_DIR"
  umask 077
  local day
  day=$(date +%F)
  local started=$SECONDS
  backup_database "$BACKUP_DIR/lonservice-$day.dump.age"
  echo "database: $BACKUP_DIR/lonservice-$day.dump.age ($(stat -c %s "$BACKUP_DIR/lonservice-$day.dump.age") bytes, verified)"
  if [ -n "${MEDIA_DIR:-}" ]; then
    tar --create --gzip --directory "$MEDIA_DIR" . | age --encrypt -R "$AGE_RECIPIENTS" >"$BACKUP_DIR/media-$day.tar.gz.age.part"
    seal "$BACKUP_DIR/media-$day.tar.gz.age"
    echo "media: $BACKUP_DIR/media-$day.tar.gz.age"
  fi
  rotate no
  echo "backup done in $((SECONDS - started)) s"
}

main "$@"
