# What the scripts that run a tool of benchmarks/target/benchmarks.jar share (find-load.sh, hostile-input.sh):
#   bench_tool_setup MAIN_CLASS ARGS...   builds the jar first when ARGS start with --build (the caller then drops
#                                         it: `bench_tool_wants_build "$@" && shift`), prints the tool's help for
#                                         --help, refuses to go on without the jar, and exports SPANNER_API_KEY from
#                                         the environment or the start script's secrets file.
# Needs JAR and RUN (scripts/lib/jars.sh, scripts/lib/processes.sh).

bench_tool_wants_build() {
  [ "${1:-}" = --build ] || return 1
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
}

bench_tool_setup() {
  local main=$1
  shift
  case " $* " in
    *" --help "*) exec java -cp "$JAR" "$main" --help ;;
  esac
  if [ ! -f "$JAR" ]; then
    echo "no $JAR: run with --build first (or ./mvnw -B -q -pl benchmarks -am package -DskipTests)" >&2
    exit 2
  fi
  if [ -z "${SPANNER_API_KEY:-}" ] && [ -f "$RUN/secrets" ]; then
    SPANNER_API_KEY=$(sed -n 's/^SPANNER_BOOTSTRAP_API_KEY=//p' "$RUN/secrets")
  fi
  export SPANNER_API_KEY=${SPANNER_API_KEY:?no API key: set SPANNER_API_KEY}
}
