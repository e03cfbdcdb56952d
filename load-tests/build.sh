#!/usr/bin/env bash
# Builds the server (installed into the local Maven repository) and this module, and writes the classpath.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
( cd "$here/.." && mvn -B -q -DskipTests install >&2 )
( cd "$here" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2 )
echo "$here/target/classes:$(cat "$here/target/classpath.txt")"
