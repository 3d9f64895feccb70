# Checks that a service answers, for waiting on it. Sourced by the scripts.
url_answers() { curl -sf -o /dev/null --max-time 5 "$1"; } # a 2xx answer (a readiness endpoint says UP)
port_open() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; } # something listens on this local port
