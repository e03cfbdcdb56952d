#!/usr/bin/env bash
# like-storm: all dancers of one session like the same track within 2 s (default 10,000 dancers; needs >= 2
# processes of <= 9,000 and a node that holds them). One broadcast starts the track; the storm starts 2 s into the
# window. Measures like → ACK (action_ack), NACKs by code, and the LIKE_RECEIVED count the DJ saw.
SCENARIO=like-storm
DANCERS=10000; DURATION=12; RAMP=20; WARMUP=3; SESSIONS=1; TRACK_INTERVAL=3600; PER_PROCESS=9000
SCENARIO_ARGS=(--lobby false --like-storm-at 2 --like-storm-window 2)
DRAIN=10
NODE_CONFIG=()
source "$(dirname "$0")/lib/coordinator.sh"
