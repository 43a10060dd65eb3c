package dev.pgingest.workload.shop.export;

/** Turns the rows of one CSV export, after its header, into {@link ShopRow}s. */
interface ExportRows {

  /** Where rows and rejects go; a reject carries the row's text as the file had it. */
  interface Out {
    void record(ShopRow row, long lineNumber);

    void reject(long lineNumber, String reason);
  }

  /**
   * One row of the export: its values in header order, an empty value as null; the row has as many
   * values as the header names.
   */
  void row(String[] row, long lineNumber, Out out);

  /** Option1 Name of a product without options, whose one variant is {@link #DEFAULT_TITLE}. */
  String TITLE_OPTION = "Title";

  String DEFAULT_TITLE = "Default Title";

  /** {@code handle}, or {@code handle/value1[/value2[/value3]]} of the options given. */
  static String variantKey(String handle, String... optionValues) {
    StringBuilder key = new StringBuilder(handle);
    for (String value : optionValues) {
      if (value != null) {
        key.append('/').append(value);
      }
    }
    return key.toString();
  }
}
