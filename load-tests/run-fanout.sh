#!/usr/bin/env bash
# fanout: N dancers in one session, track broadcasts only, as Pika!'s reference run (10 broadcasts 5.2 s apart).
# The node this script starts lowers track-throttle to 4 s, so server-side jitter on a busy box cannot turn a
# broadcast 5.2 s after the previous one into a NACK (the throttle is not what this measures).
# Measures DJ-send → dancer-receive latency over all deliveries. --floor runs the same against the bare NIO floor,
# --floor pekko-message / pekko-frame against the pekko-http floors (message API vs frame-level path).
SCENARIO=fanout
DANCERS=1000; DURATION=52; RAMP=10; WARMUP=5.2; SESSIONS=1; TRACK_INTERVAL=5.2; PER_PROCESS=9000
SCENARIO_ARGS=(--lobby false)
NODE_CONFIG=('floorcast.session.track-throttle = 4s')
source "$(dirname "$0")/lib/coordinator.sh"
