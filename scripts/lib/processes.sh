# The processes scripts/start_enterprise_spanner.sh starts and scripts/stop_enterprise_spanner.sh stops. Each is one
# line "pid name" in $RUN/pids; its stdout goes to $RUN/logs/<name>.out, its stderr to $RUN/logs/<name>.log.
# Sourced by the scripts, from the repository root.
RUN=${SPANNER_RUN_DIR:-$(pwd)/run}

running_processes() { # -> "pid name" of each listed process that still runs
  [ -s "$RUN/pids" ] || return 0
  local pid name
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then echo "$pid $name"; fi
  done < "$RUN/pids"
}

first_running_process() { # -> "pid name" of the first listed process that still runs, or nothing
  local running
  running=$(running_processes)
  echo "${running%%$'\n'*}"
}

start_process() { # name, command... : runs it in the background (a child of this shell) and lists it
  local name=$1
  shift
  mkdir -p "$RUN/logs"
  nohup "$@" > "$RUN/logs/$name.out" 2> "$RUN/logs/$name.log" &
  echo "$! $name" >> "$RUN/pids"
  echo "[start] started $name (pid $!, log $RUN/logs/$name.out, stderr $RUN/logs/$name.log)"
}

# Waits until `check...` succeeds, at most SECONDS: the check must say "ready" (a readiness URL that answers, a line
# in a log). Each second it also looks at every listed process: when one has exited, it says which, with its exit
# status and the error line of its own log, and ends the script at once.
await() { # what, seconds, check...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq "$seconds"); do
    "$@" > /dev/null 2>&1 && return 0
    stop_when_a_process_exited
    sleep 1
  done
  echo "ERROR: $what not ready after ${seconds}s (see $RUN/logs)" >&2
  exit 1
}

stop_when_a_process_exited() {
  [ -s "$RUN/pids" ] || return 0
  local pid name status
  while read -r pid name; do
    kill -0 "$pid" 2> /dev/null && continue
    status=0
    wait "$pid" 2> /dev/null || status=$?
    {
      echo "ERROR: $name exited with status $status while starting. Its error:"
      echo "  $(error_line "$name")"
      echo "(whole log: $RUN/logs/$name.out, stderr $RUN/logs/$name.log)"
    } >&2
    exit 1
  done < "$RUN/pids"
}

# The line of a process' logs that says why it stopped: a Spring Boot service logs its exception on stdout (the root
# cause is the last "Caused by:", else the exception itself); a plain Java program says it first on stderr.
error_line() { # name -> one line
  local out=$RUN/logs/$1.out err=$RUN/logs/$1.log line
  line=$(sed -n 's/^Caused by: //p' "$out" "$err" | tail -n 1)
  [ -n "$line" ] || line=$(sed -n -E '/^[a-z][A-Za-z0-9_.$]*(Exception|Error)(: |$)/{p;q}' "$out" "$err")
  [ -n "$line" ] || line=$(sed -n '/ ERROR /{p;q}' "$out")
  [ -n "$line" ] || line=$(sed -n '/./{p;q}' "$err")
  [ -n "$line" ] || line=$(tail -n 1 "$out")
  echo "${line:-(nothing in its logs)}"
}
