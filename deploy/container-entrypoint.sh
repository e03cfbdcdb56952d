#!/bin/sh
# Container entrypoint: exec, so the JVM is PID 1 and receives SIGTERM directly (coordinated shutdown).
set -eu
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java @/app/jvm.options $JAVA_OPTS -Dconfig.file="$FLOORCAST_CONFIG" -cp "/app/floorcast.jar:/app/lib/*" floorcast.ops.Main "$@"
