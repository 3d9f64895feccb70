# The runnable jars that `./mvnw package` builds: the one place that knows their file names. Sourced by the scripts;
# paths are relative to the repository root.
SPANNER_VERSION=0.1.0-SNAPSHOT # <version> of pom.xml

jar_of() { # module -> its jar
  case "$1" in
    pacs-simulator | benchmarks) echo "$1/target/$1.jar" ;; # their pom.xml gives the jar a <finalName>
    *) echo "$1/target/$1-$SPANNER_VERSION.jar" ;;
  esac
}
