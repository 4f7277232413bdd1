package io.identityjoin;

/**
 * A problem with the user's settings or inputs, reported before anything is written. The message
 * names the source and the column, key or path at fault, and is meant to be shown as it is.
 */
public class IdentityJoinException extends RuntimeException {
  public IdentityJoinException(String message) {
    super(message);
  }

  public IdentityJoinException(String message, Throwable cause) {
    super(message, cause);
  }
}
