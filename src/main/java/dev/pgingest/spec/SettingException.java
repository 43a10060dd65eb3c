package dev.pgingest.spec;

/**
 * A bad pipeline-specific source setting; it carries the key and value apart from the problem so
 * that the parser can say whether the value came from the spec file or from {@code --set}.
 */
public final class SettingException extends SpecException {
  private final String key;
  private final String value;
  private final String problem;

  /**
   * @param key the setting's key within the source, e.g. {@code assembly}
   * @param value the value as given
   * @param problem what is wrong and what is expected, e.g. "not a known assembly; known: …"
   */
  public SettingException(String key, String value, String problem) {
    super("key '" + key + "' is '" + value + "', " + problem);
    this.key = key;
    this.value = value;
    this.problem = problem;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  public String problem() {
    return problem;
  }
}
