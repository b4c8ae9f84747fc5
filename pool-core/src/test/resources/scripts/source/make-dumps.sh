#!/usr/bin/env bash
# Remakes the committed dumps under ../dumps and ../archives from shop-schema.sql, and the figures the tests compare
# them with (../dumps/expected.txt, from checksums.sql).
#
# Needs a PostgreSQL 15 server on 127.0.0.1:5432 with trust authentication for user postgres (as on the CI machine),
# its client binaries in /usr/lib/postgresql/15/bin, and a pg_dump 18 in PG_DUMP_18. Debian's bookworm has no
# PostgreSQL 18 client; the committed shop-pg18.sql was made with Debian sid's postgresql-client-18 18.6-3, unpacked
# with its own glibc (apt-get download postgresql-client-18 libpq5 libc6 libldap2 libsasl2-2 libssl3t64 ...; dpkg -x
# each into /tmp/pg18):
#
#   PG_DUMP_18="/tmp/pg18/usr/lib64/ld-linux-x86-64.so.2 --library-path \
#     /tmp/pg18/usr/lib/x86_64-linux-gnu:/tmp/pg18/lib/x86_64-linux-gnu /tmp/pg18/usr/lib/postgresql/18/bin/pg_dump" \
#     ./make-dumps.sh
#
# The roles the source database grants to are created for the run and dropped after it (unless they already existed),
# so no server the tests load the dumps into has them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dumps="$here/../dumps"
archives="$here/../archives"
bin=/usr/lib/postgresql/15/bin
conn=(-h 127.0.0.1 -p 5432 -U postgres)
source_db=ipgtest_dump_source
tiny_db=ipgtest_dump_tiny
: "${PG_DUMP_18:?set PG_DUMP_18 to a pg_dump 18 command (see the comment at the top)}"

psql() { "$bin/psql" "${conn[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

created_roles=()
for role in shop_owner shop_reader "Shop Auditor"; do
    exists=$(psql -d postgres -Atc "SELECT count(*) FROM pg_roles WHERE rolname = '$role'")
    if [ "$exists" = 0 ]; then
        psql -d postgres -c "CREATE ROLE \"$role\""
        created_roles+=("$role")
    fi
done
cleanup() {
    psql -d postgres -c "DROP DATABASE IF EXISTS $source_db" -c "DROP DATABASE IF EXISTS $tiny_db"
    for role in "${created_roles[@]}"; do
        psql -d postgres -c "DROP ROLE IF EXISTS \"$role\""
    done
}
trap cleanup EXIT

psql -d postgres -c "DROP DATABASE IF EXISTS $source_db" -c "CREATE DATABASE $source_db TEMPLATE template0 ENCODING 'UTF8'"
psql -d "$source_db" -f "$here/shop-schema.sql"

mkdir -p "$dumps" "$archives"
# A fixed key keeps the \restrict line, and so the file, the same from one run to the next.
"$bin/pg_dump" "${conn[@]}" -Fp --restrict-key=isolatedpgfixturekey -d "$source_db" -f "$dumps/shop-pg15.sql"
$PG_DUMP_18 "${conn[@]}" -Fp --restrict-key=isolatedpgfixturekey -d "$source_db" -f "$dumps/shop-pg18.sql"
# The PostgreSQL 15.20 of the machine the dumps were made on (Debian 15.20-0+deb12u1) gives every column an internal
# option, pg_attver, that its own pg_dump leaves out; pg_dump 18.6 writes it (ALTER TABLE ONLY t ALTER COLUMN c SET
# (pg_attver=…)) and no other server accepts it. Those lines, and only those, are taken out of the pg_dump 18 output.
sed -i -E '/^ALTER TABLE ONLY [^ ]+ ALTER COLUMN [^ ]+ SET \(pg_attver=[0-9]+\);$/d' "$dumps/shop-pg18.sql"
PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO" psql -d "$source_db" -At -f "$here/checksums.sql" > "$dumps/expected.txt"

# Tiny dumps in the formats a SQL script source refuses.
psql -d postgres -c "DROP DATABASE IF EXISTS $tiny_db" -c "CREATE DATABASE $tiny_db TEMPLATE template0"
psql -d "$tiny_db" -c "CREATE TABLE note (id int PRIMARY KEY, body text)" -c "INSERT INTO note VALUES (1, 'tiny')"
"$bin/pg_dump" "${conn[@]}" -Fc -d "$tiny_db" -f "$archives/tiny.dump"
"$bin/pg_dump" "${conn[@]}" -Ft -d "$tiny_db" -f "$archives/tiny.tar"
"$bin/pg_dump" "${conn[@]}" -Fp -Z 6 -d "$tiny_db" -f "$archives/tiny.sql.gz"
rm -rf "$archives/tiny-directory"
"$bin/pg_dump" "${conn[@]}" -Fd -d "$tiny_db" -f "$archives/tiny-directory"
