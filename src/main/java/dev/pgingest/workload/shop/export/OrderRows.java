package dev.pgingest.workload.shop.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgingest.workload.shop.export.ShopHeader.Group;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Rows of a Shopify orders export, one per line item, the order's fields on its first row: the Tax
 * N Name / Tax N Value pairs with a name become {@code tax_lines}, a JSON array of {@code {"name",
 * "value"}} objects in order of N.
 */
final class OrderRows implements ExportRows {

  /** Writes tax lines; thread-safe, so one serves all readers. */
  private static final JsonFactory JSON = new JsonFactory();

  private final ShopHeader header;
  private final GroupedRows group = new GroupedRows();

  OrderRows(ShopHeader header) {
    this.header = header;
  }

  @Override
  public void row(String[] row, long lineNumber, Out out) {
    String name = header.value(row, Group.HEAD, "name");
    if (name == null) {
      out.reject(lineNumber, "orders row without a Name");
      return;
    }
    boolean first = group.starts(name);
    if (first) {
      Map<String, String> head = header.fill(Group.HEAD, ShopFields.ORDER, row);
      first = GroupedRows.givesFields(head, "name");
      head.put("tax_lines", taxLines(header.taxes(row)));
      group.start(name, head);
    }
    Map<String, String> line = header.fill(Group.LINE, ShopFields.LINE, row);
    line.put("line_number", Integer.toString(++group.lines));
    out.record(
        new ShopRow(
            ShopExport.ORDERS,
            group.head(),
            null,
            null,
            Collections.unmodifiableMap(line),
            header.extra(row),
            first),
        lineNumber);
  }

  /** The named tax pairs as a JSON array of {@code {"name", "value"}}, or null when none. */
  private static String taxLines(List<String[]> taxes) {
    if (taxes.isEmpty()) {
      return null;
    }
    StringWriter buffer = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartArray();
      for (String[] tax : taxes) {
        g.writeStartObject();
        g.writeStringField("name", tax[0]);
        g.writeStringField("value", tax[1]);
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      // The generator writes to memory: nothing can fail.
      throw new UncheckedIOException(e);
    }
    return buffer.toString();
  }
}
