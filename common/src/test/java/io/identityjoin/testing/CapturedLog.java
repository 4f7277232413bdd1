package io.identityjoin.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged at INFO and above while it is open, by any logger, exceptions included. */
public final class CapturedLog implements AutoCloseable {
  private final StringWriter text = new StringWriter();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final Appender appender;
  private final Level rootLevel;

  public CapturedLog() {
    Configuration config = context.getConfiguration();
    appender = WriterAppender.newBuilder().setName("captured-log").setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%ex").build()).build();
    appender.start();
    LoggerConfig root = config.getRootLogger();
    rootLevel = root.getLevel();
    root.addAppender(appender, Level.INFO, null);
    root.setLevel(Level.INFO);
    for (LoggerConfig own : config.getLoggers().values()) {
      if (own != root && !own.isAdditive()) {
        own.addAppender(appender, Level.INFO, null);
      }
    }
    context.updateLoggers();
  }

  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.getRootLogger().setLevel(rootLevel);
    config.getLoggers().values().forEach(l -> l.removeAppender(appender.getName()));
    context.updateLoggers();
    appender.stop();
  }
}
