#!/usr/bin/env bash
# Restore a backup of config/deploy/backup.sh: the database's contents replaced by the dump's, the media
# folder's files put back. Stop gunicorn, the workers and beat first; afterwards start them and run
# `manage.py migrate` (a backup of an older version is brought up to date) — docs/deploy.md.
#
#   config/deploy/restore.sh BACKUP_FOLDER --yes
#
# The database must exist (an empty one on a new server: createdb -O <role>); its role must own it.
set -euo pipefail
. "$(dirname "$0")/env.sh"
folder=${1:-}
[ -n "$folder" ] && [ -f "$folder/database.dump" ] || die "usage: config/deploy/restore.sh BACKUP_FOLDER --yes"
[ "${2:-}" = --yes ] || die "this replaces everything in database $POSTGRES_DB: add --yes to go on"
(cd "$folder" && sha256sum --check --quiet SHA256SUMS) || die "the backup's files do not match their SHA256SUMS"
export PGPASSWORD=${POSTGRES_PASSWORD:-}
connect=(--host "$POSTGRES_HOST" --port "$POSTGRES_PORT" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB")
# everything of the database is in its public schema (the owner of the database owns it)
psql "${connect[@]}" --quiet -v ON_ERROR_STOP=1 -c "SET client_min_messages TO warning" \
    -c "DROP SCHEMA IF EXISTS public CASCADE" -c "CREATE SCHEMA public"
pg_restore "${connect[@]}" --no-owner --no-privileges --exit-on-error "$folder/database.dump"
mkdir -p "$DJANGO_MEDIA_ROOT"
tar --extract --gzip --file "$folder/media.tar.gz" --directory "$DJANGO_MEDIA_ROOT"
say "restored $folder into database $POSTGRES_DB and $DJANGO_MEDIA_ROOT"
