package dev.pgingest.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one step after the load did.
 *
 * @param name the step's name
 * @param ran false when it was turned off
 * @param seconds how long it took, apart from the load's time
 * @param columns the column names of its last statement's rows
 * @param rows those rows, values as text
 * @param error why it failed, or null
 */
public record StepResult(
    String name,
    boolean ran,
    double seconds,
    List<String> columns,
    List<List<String>> rows,
    String error) {
  public StepResult {
    columns = List.copyOf(columns);
    rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
  }
}
