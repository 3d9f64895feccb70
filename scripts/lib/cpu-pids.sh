# Sourced by the load-test scripts (after scripts/lib/processes.sh). Sets CPU_PIDS to name=pid,... for the processes
# whose CPU time per query the tools report: what the start script started and still runs, and the broker and Redis
# it uses (found by the ports they listen on; only read, never signalled).
CPU_PIDS=
while read -r pid name; do
  CPU_PIDS="$CPU_PIDS${CPU_PIDS:+,}$name=$pid"
done < <(running_processes)
listener_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
for pair in rabbitmq:5672 redis:6379; do
  pid=$(listener_pid "${pair#*:}")
  [ -n "$pid" ] && CPU_PIDS="$CPU_PIDS${CPU_PIDS:+,}${pair%:*}=$pid"
done
