#!/usr/bin/env bash
# Run one Floorcast node from this checkout: builds when needed, then starts a single node on the embedded
# PostgreSQL (data in $FLOORCAST_DATA, default ./data) on $PORT (default 3001). DATABASE_URL selects an external
# PostgreSQL instead. SIGTERM stops the node gracefully (exec: the JVM receives the signal).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/floorcast.jar
# (target/lib too: `mvn verify` alone builds the jar but does not copy the dependencies)
if [ ! -f "$jar" ] || [ ! -d target/lib ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -q -DskipTests package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
fi
exec java @deploy/jvm.options ${JAVA_OPTS:--Xmx2g} ${FLOORCAST_CONFIG:+-Dconfig.file="$FLOORCAST_CONFIG"} \
  -cp "$jar:target/lib/*" floorcast.ops.Main "${@:-serve}"
