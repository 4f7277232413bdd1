package io.identityjoin.jobs;

/**
 * The main class bin/identity-join runs: the only place that exits the JVM, with the command's
 * exit code. spark-submit and Databricks use {@link IdentityJoinJob} instead.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(IdentityJoinCommand.execute(args));
  }
}
