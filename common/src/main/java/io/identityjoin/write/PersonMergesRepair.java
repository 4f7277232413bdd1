package io.identityjoin.write;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.identityjoin.config.OutputSettings;
import io.identityjoin.output.PersonMerges;
import io.identityjoin.read.PreviousOutput;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With Delta output a run commits identity_map and user_identities (side by side), then its
 * person_merges append: three tables, three commits, no transaction across them. A run that died
 * after the identity_map commit and before the ledger append would lose its ledger rows, and the
 * next run (which keeps the ids it finds) would never see those changes again. So every commit carries
 * {@link CommitMetadata} ({@code userMetadata}: run id and ledger row count), and before reading, a
 * run checks the newest identity_map commit of this job: if it announced ledger rows that no
 * person_merges commit of that run holds, they are recomputed from the identity_map versions before
 * and after it (time travel) and appended under that run's id.
 */
public final class PersonMergesRepair {

  private static final Logger LOG = LoggerFactory.getLogger(PersonMergesRepair.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What each Delta commit of a run says about it, as JSON in the commit's {@code userMetadata}. */
  public record CommitMetadata(String runId, long personMerges) {
    public String toJson() {
      try {
        return JSON.writeValueAsString(Map.of("run_id", runId, "person_merges", personMerges));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Optional<CommitMetadata> parse(String userMetadata) {
      if (userMetadata == null || !userMetadata.startsWith("{")) {
        return Optional.empty();
      }
      try {
        JsonNode n = JSON.readTree(userMetadata);
        return n.hasNonNull("run_id") && n.hasNonNull("person_merges")
            ? Optional.of(new CommitMetadata(n.get("run_id").asText(), n.get("person_merges").asLong()))
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  private PersonMergesRepair() {}

  /** Appends a lost ledger delta if there is one; returns the rows appended (Delta output only). */
  public static long repair(SparkSession spark, OutputSettings output, PreviousOutput previous) {
    if (!previous.isDelta(OutputSettings.IDENTITY_MAP)) {
      return 0;
    }
    Optional<Row> last = history(spark, output, OutputSettings.IDENTITY_MAP).stream()
        .filter(r -> metadata(r).isPresent()).findFirst();
    if (last.isEmpty() || metadata(last.get()).get().personMerges() == 0) {
      return 0;
    }
    CommitMetadata run = metadata(last.get()).get();
    if (previous.isDelta(OutputSettings.PERSON_MERGES) && history(spark, output, OutputSettings.PERSON_MERGES)
        .stream().anyMatch(r -> metadata(r).map(m -> m.runId().equals(run.runId())).orElse(false))) {
      return 0;
    }
    long version = last.get().<Long>getAs("version");
    Optional<Dataset<Row>> before = previous.identityMap(Optional.of(version - 1));
    if (version == 0 || before.isEmpty()) {
      LOG.warn("person_merges lacks run {}'s rows and identity_map has no version before it", run.runId());
      return 0;
    }
    Timestamp at = last.get().getAs("timestamp");
    Dataset<Row> rows = PersonMerges.of(before.get(), previous.identityMap(Optional.of(version)).orElseThrow(),
        run.runId(), lit(at)).cache();
    try {
      long n = rows.count();
      LOG.warn("Appending {} person_merges rows of run {}, lost when it was interrupted", n, run.runId());
      rows.write().format("delta").mode(SaveMode.Append).option("userMetadata", run.toJson())
          .save(output.tablePath(OutputSettings.PERSON_MERGES));
      return n;
    } finally {
      rows.unpersist();
    }
  }

  private static List<Row> history(SparkSession spark, OutputSettings output, String table) {
    return DeltaTable.forPath(spark, output.tablePath(table)).history()
        .select("version", "timestamp", "userMetadata").orderBy(col("version").desc())
        .collectAsList();
  }

  private static Optional<CommitMetadata> metadata(Row historyRow) {
    return CommitMetadata.parse(historyRow.getAs("userMetadata"));
  }
}
