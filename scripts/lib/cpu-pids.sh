# Sourced by the load-test scripts. Sets CPU_PIDS to name=pid,... for the processes whose CPU time per query the
# tools report: what the start script started (from $RUN/pids), and the broker and Redis it uses (found by the ports
# they listen on; only read, never signalled).
CPU_PIDS=
if [ -s "$RUN/pids" ]; then
  while read -r pid name; do
    kill -0 "$pid" 2>/dev/null && CPU_PIDS="$CPU_PIDS${CPU_PIDS:+,}$name=$pid"
  done < "$RUN/pids"
fi
listener_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
for pair in rabbitmq:5672 redis:6379; do
  pid=$(listener_pid "${pair#*:}")
  [ -n "$pid" ] && CPU_PIDS="$CPU_PIDS${CPU_PIDS:+,}${pair%:*}=$pid"
done
