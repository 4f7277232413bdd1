# Shared by bin/ scripts: builds the jar and the local classpath through Maven when needed.
# shellcheck shell=bash

identity_join_build_if_needed() {
  local jar="$ROOT/jobs/target/identity-join.jar" cp="$ROOT/jobs/target/classpath.txt"
  local stale=""
  if [ -f "$jar" ] && [ -f "$cp" ]; then
    stale="$(find "$ROOT/pom.xml" "$ROOT/common/pom.xml" "$ROOT/jobs/pom.xml" "$ROOT/common/src/main" \
      "$ROOT/jobs/src/main" -newer "$jar" -type f -print -quit 2>/dev/null || true)"
  fi
  if [ ! -f "$jar" ] || [ ! -f "$cp" ] || [ -n "$stale" ]; then
    if [ -n "${IDENTITY_JOIN_NO_BUILD:-}" ]; then
      echo "identity-join: $jar or $cp is missing or older than the sources (IDENTITY_JOIN_NO_BUILD is set)" >&2
      return 1
    fi
    echo "identity-join: building the jar with Maven (first run takes a few minutes)..." >&2
    # `package` also writes jobs/target/classpath.txt (maven-dependency-plugin, see jobs/pom.xml).
    (cd "$ROOT" && mvn -B -q -DskipTests package >&2)
  fi
}

# Callers assign it to a variable first (`cp="$(identity_join_classpath)"`): under `set -e` a failed
# build or a refused stale jar then stops the script, where inside `exec java -cp "$(...)"` it would
# not.
identity_join_classpath() {
  identity_join_check_env || return 1
  identity_join_build_if_needed || return 1
  echo "$ROOT/jobs/target/identity-join.jar:$(cat "$ROOT/jobs/target/classpath.txt")"
}

# Spark's JDK 17 module openings (the list is also in pom.xml).
identity_join_jdk_opens() {
  echo "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
    --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
}

# The garbage collector: IDENTITY_JOIN_GC if set (e.g. -XX:+UseG1GC, the JDK's default), none if
# IDENTITY_JOIN_JAVA_OPTS picks one (the JVM refuses two), else the parallel collector: a 4M-record
# first run took 0.87x the time with it (docs/BENCHMARKS.md, 2026-12-02 evening).
identity_join_gc() {
  if [ -n "${IDENTITY_JOIN_GC:-}" ]; then
    echo "$IDENTITY_JOIN_GC"
    return
  fi
  local opts opt
  read -ra opts <<< "${IDENTITY_JOIN_JAVA_OPTS:-}"
  for opt in ${opts[@]+"${opts[@]}"}; do
    case "$opt" in
      -XX:+Use*GC) return ;;
    esac
  done
  echo "-XX:+UseParallelGC"
}

# The launcher's environment variables that take one of a few values.
identity_join_check_env() {
  case "${IDENTITY_JOIN_JIT:-full}" in
    full|quick) ;;
    *) echo "identity-join: IDENTITY_JOIN_JIT must be 'full' or 'quick', not '${IDENTITY_JOIN_JIT}'" >&2
       return 1 ;;
  esac
}

# The JIT: 'full' (the JVM's tiered compilation, for real inputs) or 'quick' (the client compiler
# only, -XX:TieredStopAtLevel=1): a small run spends much of its time compiling Spark's and Delta's
# code, and the quick JIT compiles less. The embedded sample ran in 0.83x the time with it and a
# 60,000-record first run in 0.78x (docs/BENCHMARKS.md, 2026-12-03); a 4M-record run took 1.21x
# (2026-12-02 evening). The full JIT reads conf/jit-directives.json: the server compiler leaves
# Janino (which compiles Spark's generated code, not the code itself) to the client compiler, about
# 10 s less compiling in a 4M-record first run (2026-12-04).
# IDENTITY_JOIN_JIT sets it; bin/identity-join on the embedded sample defaults to quick
# (IDENTITY_JOIN_JIT_DEFAULT), everything else to full.
identity_join_jit() {
  if [ "${IDENTITY_JOIN_JIT:-${IDENTITY_JOIN_JIT_DEFAULT:-full}}" = quick ]; then
    echo "-XX:TieredStopAtLevel=1"
  else
    # The JVM announces the directives it read on its standard output ("1 compiler directives
    # added"), which is the job's: its own output goes to standard error instead.
    echo "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$ROOT/conf/jit-directives.json
      -XX:+DisplayVMOutputToStderr"
  fi
}

# Local mode only: Hadoop's file: file system starts a chmod process for every file and folder it
# creates and a readlink process before every rename when its native library is absent (as it is
# here); io.identityjoin.fs does both through java.nio. Warm 67,500-record runs took 0.84x the time
# with it (docs/BENCHMARKS.md, 2026-12-03 afternoon). Executors of a cluster keep Hadoop's.
identity_join_local_fs() {
  case "${SPARK_MASTER:-local[*]}" in
    local*) echo "-Dspark.hadoop.fs.file.impl=io.identityjoin.fs.NioLocalFileSystem
      -Dspark.hadoop.fs.AbstractFileSystem.file.impl=io.identityjoin.fs.NioLocalFs" ;;
  esac
}

# The JDK 17 openings, the garbage collector, the JIT, local master, the local file system, Delta's session extension, quiet logs.
# Adaptive execution coalesces shuffle partitions to about 16 MiB each rather than to one per core
# (Spark's default, parallelismFirst, left a 4M run's shuffles in 2 partitions): a 4M-record first
# run took 0.94x the time with it (docs/BENCHMARKS.md, 2026-12-03 evening).
# IDENTITY_JOIN_JAVA_OPTS comes last, so anything it sets wins.
identity_join_java_opts() {
  echo "-Xmx${IDENTITY_JOIN_DRIVER_MEMORY:-4g} $(identity_join_gc) $(identity_join_jit) $(identity_join_jdk_opens)
    -Dspark.master=${SPARK_MASTER:-local[*]}
    -Dspark.ui.enabled=false
    -Dspark.sql.shuffle.partitions=${IDENTITY_JOIN_SHUFFLE_PARTITIONS:-8}
    -Dspark.sql.adaptive.coalescePartitions.parallelismFirst=false
    -Dspark.sql.adaptive.advisoryPartitionSizeInBytes=16m
    -Dspark.databricks.delta.snapshotPartitions=${IDENTITY_JOIN_DELTA_SNAPSHOT_PARTITIONS:-2}
    -Dspark.driver.bindAddress=127.0.0.1 -Dspark.driver.host=127.0.0.1
    -Dspark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
    -Dspark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog
    $(identity_join_local_fs)
    -Dlog4j.configurationFile=$ROOT/conf/log4j2.properties
    ${IDENTITY_JOIN_JAVA_OPTS:-}"
}
