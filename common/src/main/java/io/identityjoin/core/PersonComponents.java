package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;

import io.identityjoin.config.Settings;
import io.identityjoin.graph.ConnectedComponents;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rule 5: a person is a connected component of the external-ID and e-mail links (A–B and B–C make
 * one person, however long the chain). Records linked to nothing are persons of their own; they
 * do not enter the graph, and {@link IdentityMap} gives them their own vertex as component.
 */
public final class PersonComponents {

  private PersonComponents() {}

  /** {@code (vertex, component)} for every linked record; component = the smallest vertex. */
  public static ConnectedComponents.Result of(Dataset<Row> links, Settings settings) {
    Settings.ComponentsSettings c = settings.components();
    Dataset<Row> edges = links.select(col(ExternalIdLinks.SRC).as("src"), col(ExternalIdLinks.DST).as("dst"));
    return ConnectedComponents.run(edges,
        new ConnectedComponents.Settings(c.driverFinishMaxEdges(), c.checkpointEvery(), c.maxRounds()));
  }
}
