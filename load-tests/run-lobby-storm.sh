#!/usr/bin/env bash
# lobby-storm: every dancer connects, asks the lobby and subscribes within the ramp (default 30 s), spread over
# 1 big + 50 small sessions while the DJs keep broadcasting. Measures connect → SUBSCRIBE ACK (join) and
# connect → 101 (handshake), failures by kind; deliveries are measured in the window after the storm.
SCENARIO=lobby-storm
DANCERS=1000; DURATION=20; RAMP=30; WARMUP=0; SESSIONS=51; TRACK_INTERVAL=5.2; PER_PROCESS=9000
SCENARIO_ARGS=(--big-share 0.5 --lobby true)
NODE_CONFIG=()
source "$(dirname "$0")/lib/coordinator.sh"
