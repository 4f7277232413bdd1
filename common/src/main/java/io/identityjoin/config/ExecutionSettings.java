package io.identityjoin.config;

import io.identityjoin.IdentityJoinException;
import java.util.Locale;

/**
 * How a run has Spark execute its queries ({@code identity-join.execution}).
 *
 * @param wholeStageCodegen Spark's whole-stage code generation for the run
 * @param wholeStageCodegenMinRows under {@link WholeStageCodegen#AUTO}, the rows read from the
 *     sources below which the run goes without it
 * @param rowsPerWriteTask an output table is written by at most one task per this many rows
 *     ({@link io.identityjoin.write.WriteTasks})
 * @param rowsPerInputPartition the rows read are spread over at most one partition per this many
 *     rows, and at least two ({@link io.identityjoin.pipeline.InputPartitions})
 * @param compressCaches whether Spark compresses the run's cached tables
 *     ({@link io.identityjoin.pipeline.CacheCompressionScope})
 * @param sideBySideMaxRows below this many rows read, independent tables of a stage are computed
 *     at the same time ({@link io.identityjoin.pipeline.SideBySide}); 0: never
 */
public record ExecutionSettings(WholeStageCodegen wholeStageCodegen, long wholeStageCodegenMinRows,
    long rowsPerWriteTask, long rowsPerInputPartition, boolean compressCaches, long sideBySideMaxRows) {

  /** reference.conf's {@code execution.rows-per-write-task}. */
  public static final long DEFAULT_ROWS_PER_WRITE_TASK = 1_000_000L;
  /** reference.conf's {@code execution.rows-per-input-partition}. */
  public static final long DEFAULT_ROWS_PER_INPUT_PARTITION = 100_000L;
  /** reference.conf's {@code execution.compress-caches}. */
  public static final boolean DEFAULT_COMPRESS_CACHES = false;
  /** reference.conf's {@code execution.side-by-side-max-rows}. */
  public static final long DEFAULT_SIDE_BY_SIDE_MAX_ROWS = 1_000_000L;

  public ExecutionSettings {
    if (wholeStageCodegenMinRows < 0) {
      throw new IllegalArgumentException("wholeStageCodegenMinRows must be >= 0: " + wholeStageCodegenMinRows);
    }
    if (rowsPerWriteTask < 1) {
      throw new IllegalArgumentException("rowsPerWriteTask must be >= 1: " + rowsPerWriteTask);
    }
    if (rowsPerInputPartition < 1) {
      throw new IllegalArgumentException("rowsPerInputPartition must be >= 1: " + rowsPerInputPartition);
    }
    if (sideBySideMaxRows < 0) {
      throw new IllegalArgumentException("sideBySideMaxRows must be >= 0: " + sideBySideMaxRows);
    }
  }

  /** The settings given, and reference.conf's side-by-side limit. */
  public ExecutionSettings(WholeStageCodegen wholeStageCodegen, long wholeStageCodegenMinRows, long rowsPerWriteTask,
      long rowsPerInputPartition, boolean compressCaches) {
    this(wholeStageCodegen, wholeStageCodegenMinRows, rowsPerWriteTask, rowsPerInputPartition, compressCaches,
        DEFAULT_SIDE_BY_SIDE_MAX_ROWS);
  }

  /** The settings given, and reference.conf's cache compression. */
  public ExecutionSettings(WholeStageCodegen wholeStageCodegen, long wholeStageCodegenMinRows, long rowsPerWriteTask,
      long rowsPerInputPartition) {
    this(wholeStageCodegen, wholeStageCodegenMinRows, rowsPerWriteTask, rowsPerInputPartition,
        DEFAULT_COMPRESS_CACHES);
  }

  /** The codegen settings given, and reference.conf's rows per write task and per input partition. */
  public ExecutionSettings(WholeStageCodegen wholeStageCodegen, long wholeStageCodegenMinRows) {
    this(wholeStageCodegen, wholeStageCodegenMinRows, DEFAULT_ROWS_PER_WRITE_TASK, DEFAULT_ROWS_PER_INPUT_PARTITION);
  }

  /** {@code execution.whole-stage-codegen}. */
  public enum WholeStageCodegen {
    /** Off for the run when it reads fewer rows than the minimum; otherwise as the session has it. */
    AUTO("auto"),
    ON("on"),
    OFF("off");

    private final String configName;

    WholeStageCodegen(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static WholeStageCodegen parse(String value, String key) {
      for (WholeStageCodegen m : values()) {
        if (m.configName.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IdentityJoinException(key + ": unknown value '" + value + "' (expected auto, on or off)");
    }
  }
}
