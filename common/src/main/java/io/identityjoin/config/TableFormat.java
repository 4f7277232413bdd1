package io.identityjoin.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table formats identity-join reads and writes. */
public enum TableFormat {
  PARQUET("parquet"),
  DELTA("delta");

  private final String sparkName;

  TableFormat(String sparkName) {
    this.sparkName = sparkName;
  }

  /** The name Spark's DataFrameReader and DataFrameWriter know the format by. */
  public String sparkName() {
    return sparkName;
  }

  static TableFormat parse(String value, String key) {
    for (TableFormat f : values()) {
      if (f.sparkName.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new io.identityjoin.IdentityJoinException(key + ": unknown format '" + value + "' (expected one of "
        + Arrays.stream(values()).map(TableFormat::sparkName).collect(Collectors.joining(", ")) + ")");
  }
}
