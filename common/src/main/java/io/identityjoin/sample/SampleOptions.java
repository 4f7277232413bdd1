package io.identityjoin.sample;

/**
 * How big the synthetic sample is and which one it is.
 *
 * @param persons how many true people the sample describes; the record count grows linearly with it
 * @param seed every random choice derives from it, so equal options give equal tables
 */
public record SampleOptions(long persons, long seed) {

  /** Keeps every generated key inside the id permutations' domains and clear of long overflow. */
  public static final long MAX_PERSONS = 100_000_000L;

  public SampleOptions {
    if (persons < 0 || persons > MAX_PERSONS) {
      throw new IllegalArgumentException(
          "sample persons must be between 0 and " + MAX_PERSONS + ", got " + persons);
    }
  }

  /** 1000 persons, seed 42: a few thousand user records. */
  public static SampleOptions defaults() {
    return new SampleOptions(1000, 42);
  }

  public SampleOptions withPersons(long newPersons) {
    return new SampleOptions(newPersons, seed);
  }

  public SampleOptions withSeed(long newSeed) {
    return new SampleOptions(persons, newSeed);
  }
}
