package io.identityjoin.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The links of each person, for the guards and explanations that look at a person's graph as a
 * whole: every link with its person (component), its kind, and whether its ends are anchor
 * records. {@link #perPerson} hands each person's links to a function on the executors, one person
 * at a time (a person's links must fit in a task's memory; the hub cap keeps blobs out).
 */
public final class PersonLinks {

  public static final String COMPONENT = "component";
  public static final String EXTERNAL = "external";
  static final String SRC_ANCHOR = ExternalIdLinks.SRC_ANCHOR;
  static final String DST_ANCHOR = ExternalIdLinks.DST_ANCHOR;

  /** A link inside one person. {@code external}: an external-ID link (src names dst), else e-mail. */
  public record Edge(long src, long dst, String value, boolean external, boolean srcAnchor, boolean dstAnchor)
      implements Serializable {}

  /** What is computed from one person's links: output rows. */
  interface PersonFunction extends Serializable {
    List<Row> apply(List<Edge> edges);
  }

  private PersonLinks() {}

  /**
   * {@code (component, src, dst, value, external, src_anchor, dst_anchor)}: one join, the links
   * with their src's component (both ends of a link are in one component).
   *
   * @param components {@code (vertex, component)} of every linked record
   */
  public static Dataset<Row> of(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks, Dataset<Row> components) {
    Dataset<Row> links = both(externalIdLinks, emailLinks);
    Dataset<Row> s = components.select(col("vertex").as("s_v"), col(COMPONENT));
    return links
        .join(s, links.col(ExternalIdLinks.SRC).equalTo(s.col("s_v")))
        .select(col(COMPONENT), col(ExternalIdLinks.SRC), col(ExternalIdLinks.DST), col(ExternalIdLinks.VALUE),
            col(EXTERNAL), col(SRC_ANCHOR), col(DST_ANCHOR));
  }

  /** The rows of {@link #of}, each link's component looked up instead of joined (no shuffle). */
  public static Dataset<Row> of(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks, ComponentLookup components) {
    return both(externalIdLinks, emailLinks)
        .withColumn(COMPONENT, components.componentOf(col(ExternalIdLinks.SRC)))
        // As the join: a link whose src has no component has no person (every link is an edge of the
        // graph, so none is dropped).
        .where(col(COMPONENT).isNotNull())
        .select(col(COMPONENT), col(ExternalIdLinks.SRC), col(ExternalIdLinks.DST), col(ExternalIdLinks.VALUE),
            col(EXTERNAL), col(SRC_ANCHOR), col(DST_ANCHOR));
  }

  private static Dataset<Row> both(Dataset<Row> externalIdLinks, Dataset<Row> emailLinks) {
    return externalIdLinks.select(col(ExternalIdLinks.SRC), col(ExternalIdLinks.DST),
            col(ExternalIdLinks.VALUE), lit(true).as(EXTERNAL), col(ExternalIdLinks.SRC_ANCHOR),
            col(ExternalIdLinks.DST_ANCHOR))
        .unionByName(emailLinks.select(col(ExternalIdLinks.SRC), col(ExternalIdLinks.DST), col(ExternalIdLinks.VALUE),
            lit(false).as(EXTERNAL), col(ExternalIdLinks.SRC_ANCHOR), col(ExternalIdLinks.DST_ANCHOR)));
  }

  /** Applies {@code f} to each person's links (rows of {@link #of}); the rows it returns, in {@code schema}. */
  static Dataset<Row> perPerson(Dataset<Row> personLinks, StructType schema, PersonFunction f) {
    return personLinks
        .groupByKey((MapFunction<Row, Long>) r -> r.getLong(0), Encoders.LONG())
        .flatMapGroups((FlatMapGroupsFunction<Long, Row, Row>) (component, rows) -> {
          List<Edge> edges = new ArrayList<>();
          while (rows.hasNext()) {
            Row r = rows.next();
            edges.add(new Edge(r.getLong(1), r.getLong(2), r.getString(3), r.getBoolean(4), r.getBoolean(5),
                r.getBoolean(6)));
          }
          return f.apply(edges).iterator();
        }, Encoders.row(schema));
  }
}
