#!/usr/bin/env bash
# fanout: N dancers in one session, track broadcasts only, as Pika!'s reference run (10 broadcasts 5.2 s apart).
# Measures DJ-send → dancer-receive latency over all deliveries. --floor runs the same against the bare NIO floor.
SCENARIO=fanout
DANCERS=1000; DURATION=52; RAMP=10; WARMUP=5.2; SESSIONS=1; TRACK_INTERVAL=5.2; PER_PROCESS=9000
SCENARIO_ARGS=(--lobby false)
NODE_CONFIG=()
source "$(dirname "$0")/lib/coordinator.sh"
