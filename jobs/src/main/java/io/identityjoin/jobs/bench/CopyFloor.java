package io.identityjoin.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.identityjoin.config.Settings;
import io.identityjoin.config.SourceSettings;
import io.identityjoin.core.PersonId;
import io.identityjoin.core.SourceRecords;
import io.identityjoin.output.IdentityMap;
import io.identityjoin.pipeline.CodegenScope;
import io.identityjoin.read.SourceReader;
import io.identityjoin.write.DistinctValueColumns;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The copy floor: read every source as the job does and write identity_map-shaped rows, as many
 * as identity_map has, in the same format and partitioning, with no join and no shuffle. No Spark
 * job that reads these tables and writes that table can take less.
 *
 * <p>A source with more rows than records (Intercom's history) keeps a hash-chosen share of its
 * rows, so the row count written matches identity_map's within a fraction of a percent without
 * the shuffle an exact de-duplication would need.
 */
final class CopyFloor {

  private static final long BUCKETS = 1_000_000L;

  private CopyFloor() {}

  /**
   * @param recordsPerSource identity_map's rows per source (from the job's run summary)
   * @param rowsPerSource rows per source table
   */
  static void run(SparkSession spark, Settings settings, Map<String, Long> recordsPerSource,
      Map<String, Long> rowsPerSource, String out) {
    Dataset<Row> all = null;
    for (SourceSettings source : settings.sources()) {
      Dataset<Row> r = SourceRecords.of(SourceReader.read(spark, source), source);
      long rows = rowsPerSource.getOrDefault(source.name(), 0L);
      long records = recordsPerSource.getOrDefault(source.name(), rows);
      if (records < rows) {
        long keep = Math.round((double) records / rows * BUCKETS);
        r = r.where(pmod(xxhash64(col(SourceRecords.VERTEX), col(SourceRecords.EMAIL)), lit(BUCKETS)).lt(keep));
      }
      Dataset<Row> shaped = r.select(PersonId.of(col(SourceRecords.VERTEX)).as(IdentityMap.PERSON_ID),
          col(SourceRecords.SOURCE), col(SourceRecords.SOURCE_ID), col(SourceRecords.EMAIL),
          lit("unmatched").as(IdentityMap.MATCH_RULE));
      all = all == null ? shaped : all.unionByName(shaped);
    }
    // Written as the job writes identity_map (DistinctValueColumns), with code generation as the job
    // has it for this input (CodegenScope): the floor gets every saving the job does.
    long rowsRead = rowsPerSource.values().stream().mapToLong(Long::longValue).sum();
    try (CodegenScope codegen = CodegenScope.forRun(spark, settings.execution(), rowsRead);
        DistinctValueColumns plain = DistinctValueColumns.plainFor(spark, List.of(all.schema()))) {
      all.write().format(settings.output().format().sparkName()).mode(SaveMode.Overwrite).partitionBy("source")
          .save(out);
    }
  }
}
