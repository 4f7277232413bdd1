package io.identityjoin.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.identityjoin.config.ExecutionSettings;
import io.identityjoin.config.ExecutionSettings.WholeStageCodegen;
import io.identityjoin.sample.SampleGenerator;
import io.identityjoin.sample.SampleOptions;
import io.identityjoin.testing.Fixtures;
import io.identityjoin.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run reaches its persons one of three ways, by the graph's size and the settings: the driver's
 * union-find labels the whole graph and identity_map looks each record's component up in those
 * labels (under {@code joins.broadcast-threshold}); the same labels joined as a table (over it); or
 * distributed rounds and the components table ({@code components.driver-finish-max-edges = 0}). The
 * tables a run writes must not depend on which.
 */
@ExtendWith(SparkSessionExtension.class)
class ComponentPathsTest {

  @Test
  void aRunsTablesAreTheSameWhetherItsComponentsAreLookedUpJoinedOrFoundInRounds(SparkSession spark) {
    Map<String, Dataset<Row>> sample = SampleGenerator.tables(spark, SampleOptions.defaults().withPersons(300));
    List<String> lookedUp = tables(spark, sample, f -> f, true);
    List<String> joined = tables(spark, sample, f -> f.broadcastThreshold(0), false);
    List<String> rounds = tables(spark, sample, f -> f.driverFinishMaxEdges(0), false);
    assertTrue(lookedUp.size() > 1000, "identity_map and user_identities rows: " + lookedUp.size());
    // What the lookup's fold attaches itself is in the rows compared: the findings' flags.
    assertTrue(lookedUp.stream().anyMatch(r -> r.contains("dangling_external_id")));
    assertTrue(lookedUp.stream().anyMatch(r -> r.contains("email_conflict")));
    assertEquals(joined, lookedUp);
    assertEquals(rounds, lookedUp);
  }

  /** identity_map's and user_identities' rows as sorted text, from a run with the settings as given. */
  private static List<String> tables(SparkSession spark, Map<String, Dataset<Row>> sample,
      UnaryOperator<Fixtures> settings, boolean expectLookup) {
    Fixtures f = settings.apply(
        Fixtures.sampleSources(spark, sample, new ExecutionSettings(WholeStageCodegen.AUTO, 0)));
    IdentityResolution.Result r = f.run();
    try {
      assertEquals(expectLookup, r.lookup().isPresent(), "components looked up");
      // identity_map's cached plan shows which assembly built it.
      assertEquals(expectLookup, r.identityMap().queryExecution().toString().contains("looked_up_component"));
      return Stream.concat(r.identityMap().collectAsList().stream(), r.userIdentities().collectAsList().stream())
          .map(Row::toString).sorted().toList();
    } finally {
      r.release();
    }
  }
}
