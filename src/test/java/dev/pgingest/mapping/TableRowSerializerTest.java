package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.sink.UpsertRow.Repeats;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Rows survive the trip between tasks: nulls, emoji, a route of their own, a $file value. */
class TableRowSerializerTest {

  private static TableRow roundTrip(TableRow r) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TableRowSerializer.INSTANCE.serialize(r, out);
    return TableRowSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void everyFieldComesBack() throws Exception {
    String file = "/data/profiles/a.jsonl";
    TableRow r =
        new TableRow(
            1,
            "1\u001f42",
            "0\u001f7",
            Repeats.LATEST_WINS,
            new String[] {"42", null, "bio with emoji 🧗‍♀️ and \"quotes\"", file, ""},
            file,
            17,
            -5L);

    TableRow back = roundTrip(r);

    assertThat(back.table()).isEqualTo(1);
    assertThat(back.key()).isEqualTo("1\u001f42");
    assertThat(back.route()).isEqualTo("0\u001f7");
    assertThat(back.repeats()).isEqualTo(Repeats.LATEST_WINS);
    assertThat(back.values()).containsExactly(r.values());
    assertThat(back.file()).isEqualTo(file);
    assertThat(back.line()).isEqualTo(17);
    assertThat(back.fingerprint()).isEqualTo(-5L);
  }

  @Test
  void aRowRoutedByItsOwnKeyKeepsRouteEqualToKey() throws Exception {
    TableRow r = new TableRow(0, "0:3", "0:3", Repeats.NONE, new String[] {"x"}, "f.csv", 3, 0);
    assertThat(roundTrip(r).route()).isEqualTo("0:3");
  }
}
