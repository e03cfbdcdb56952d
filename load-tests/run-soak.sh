#!/usr/bin/env bash
# soak: event-night behaviour for a long window (default 1 hour, as issue #8 asks) with more churn; the node's RSS is sampled every
# 10 s into the report, to see growth. Bounded like every scenario: all processes stop by themselves.
SCENARIO=soak
DANCERS=1000; DURATION=3600; RAMP=20; WARMUP=10; SESSIONS=51; TRACK_INTERVAL=1-5; PER_PROCESS=9000
SCENARIO_ARGS=(--big-share 0.5 --lobby true --like-ratio 0.333 --tempo-ratio 0.1 --poll-vote-ratio 0.6
  --poll-interval 60 --announce-interval 90 --churn 1)
NODE_CONFIG=('floorcast.session.track-throttle = 900ms')
RSS_SERIES=true
source "$(dirname "$0")/lib/coordinator.sh"
