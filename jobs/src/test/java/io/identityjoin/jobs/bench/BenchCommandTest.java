package io.identityjoin.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identityjoin.testing.SparkSessionExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench's main at a tiny size: it runs every contender and writes results.json as issue 3 asks. */
@ExtendWith(SparkSessionExtension.class)
class BenchCommandTest {

  @TempDir Path dir;

  @Test
  void writesOneResultObjectPerSizeWithEveryRunAndTimesAReRunAfterAWarmUpWhenAsked() throws Exception {
    StringWriter printed = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(printed));
    // --rerun: an untimed first run, then the timed run over its output; --warmup: an untimed run of
    // the job and the recipe on another size first (one test, one session).
    int code = cl.execute("--records", "5000", "--seed-sql-cap", "120", "--rerun", "--warmup", "1000", "--dir",
        dir.toString());
    assertEquals(0, code, printed.toString());

    JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertTrue(results.isArray());
    assertEquals(1, results.size());
    JsonNode r = results.get(0);
    List<String> keys = new ArrayList<>();
    r.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("records", "runs", "cc_same_partition"), keys);
    assertEquals(5000, r.get("records").asLong());
    List<String> runs = new ArrayList<>();
    r.get("runs").fieldNames().forEachRemaining(runs::add);
    assertEquals(List.of("identity_join", "seed_sql", "copy_floor", "cc", "graphx_cc"), runs);
    for (String run : runs) {
      JsonNode s = r.get("runs").get(run);
      assertTrue(s.isNull() || (s.isNumber() && s.asDouble() > 0), run + ": " + s);
    }
    assertTrue(r.get("runs").get("identity_join").isNumber());
    assertTrue(r.get("cc_same_partition").asBoolean(), "our components and GraphX's differ");
    assertTrue(printed.toString().contains("identity_join"), printed.toString());

    JsonNode d = new ObjectMapper().readTree(dir.resolve("details.json").toFile()).get(0);
    assertEquals(1, d.get("each_run").get("identity_join").size(), "the untimed runs are not figures");
    assertEquals(1, d.get("each_run").get("seed_sql").size(), "the warm-up's recipe is not a figure");
    assertEquals(1000, d.get("warmup_records").asLong());
    assertTrue(printed.toString().contains("warm-up: identity_join"), printed.toString());
    assertTrue(dir.resolve("out/warmup-1000/identity_join/identity_map").toFile().isDirectory(),
        "the warm-up ran the job");
    long persons = d.get("identity_join_persons").asLong();
    JsonNode ids = d.get("identity_join_person_ids");
    assertTrue(persons > 0);
    assertEquals(persons, ids.get("kept").asLong(), "the timed run kept every id of the first: " + ids);
    assertEquals(0, ids.get("created").asLong(), ids.toString());
  }
}
