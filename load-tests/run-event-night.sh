#!/usr/bin/env bash
# event-night: 1 big session (half the dancers) + 50 small ones. Dancers join through the lobby, like about 1 track
# in 3, vote on tempo and polls, drop and reconnect with jitter; DJs broadcast every 1-5 s, poll and announce.
# The node this script starts lowers floorcast.session.track-throttle to 900 ms so 1-5 s tracks are accepted
# (the spec's 5 s throttle would NACK most of them; with --node, keep --track-interval at 5.2 or above).
SCENARIO=event-night
DANCERS=1000; DURATION=60; RAMP=20; WARMUP=5; SESSIONS=51; TRACK_INTERVAL=1-5; PER_PROCESS=9000
SCENARIO_ARGS=(--big-share 0.5 --lobby true --like-ratio 0.333 --tempo-ratio 0.1 --poll-vote-ratio 0.6
  --poll-interval 60 --announce-interval 90 --churn 0.2)
NODE_CONFIG=('floorcast.session.track-throttle = 900ms')
source "$(dirname "$0")/lib/coordinator.sh"
