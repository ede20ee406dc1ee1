#!/bin/sh
# Container entrypoint of the PTSP front office bot (deploy/Dockerfile).
#
#   (no arguments) or "serve"  apply the migrations, then serve on 0.0.0.0:8080
#   anything else              run as given, e.g.
#                              docker compose run --rm app1 ptsp-admin petugas list
#
# `ptsp db upgrade` takes a PostgreSQL advisory lock, so any number of containers may
# run it at once: one migrates, the others wait and find nothing left to do.
set -eu

if [ "$#" -eq 0 ]; then
    set -- serve
fi

if [ "$1" = "serve" ]; then
    ptsp db upgrade
    exec ptsp serve --host 0.0.0.0 --port 8080
fi

exec "$@"
