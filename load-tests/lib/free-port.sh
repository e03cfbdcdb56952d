# Sourced by the scenario scripts: free_port prints a free listening port below 32768 (ephemeral ports start there).
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; exit 1
}
