#!/usr/bin/env bash
# A backup of the installation into one new folder: the database (pg_dump, custom format) and then the
# media folder (notice PDFs, attachments, minutes), with their SHA-256 sums. Safe while the site runs.
#
#   config/deploy/backup.sh [PARENT]        the folder is PARENT/transfers-<UTC time> (default PARENT: var/backups)
#
# The environment is stack.sh's (config/deploy/env.sh): POSTGRES_*, DJANGO_MEDIA_ROOT. Restore: config/deploy/restore.sh.
set -euo pipefail
. "$(dirname "$0")/env.sh"
command -v pg_dump >/dev/null || die "pg_dump is missing (apt-get install postgresql-client)"
[ -d "$DJANGO_MEDIA_ROOT" ] || die "no media folder at $DJANGO_MEDIA_ROOT"
umask 077  # the backup holds personal data (objectors, inventors) and every file
out=${1:-$ROOT/var/backups}/transfers-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
export PGPASSWORD=${POSTGRES_PASSWORD:-}
# the database first, the files after: every file a row of the dump names is in the archive (files are
# only added while the site runs; a file newer than the dump is merely unreferenced)
pg_dump --host "$POSTGRES_HOST" --port "$POSTGRES_PORT" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --format=custom --no-owner --no-privileges --file "$out/database.dump"
tar --create --gzip --file "$out/media.tar.gz" --directory "$DJANGO_MEDIA_ROOT" .
(cd "$out" && sha256sum database.dump media.tar.gz >SHA256SUMS)
echo "$out"
