package dev.pgingest.spec;

/**
 * The job spec file named on the command line does not exist: a bad command line like any other
 * spec error, but its message is a whole sentence of its own ("Job spec not found: X.").
 */
public final class SpecNotFoundException extends SpecException {
  public SpecNotFoundException(String specFile) {
    super("Job spec not found: " + specFile + ".");
  }
}
