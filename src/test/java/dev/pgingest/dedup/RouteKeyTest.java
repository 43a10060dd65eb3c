package dev.pgingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link RouteKey}: equal keys hash alike, others apart, and state round-trips. */
class RouteKeyTest {

  @Test
  void equalTextsGiveEqualKeysAndCloseTextsDifferentOnes() {
    assertThat(RouteKey.of("0\u001fshop-1\u001fchair"))
        .isEqualTo(RouteKey.of("0\u001fshop-1\u001fchair"));
    assertThat(RouteKey.of("0\u001fshop-1\u001fchair").hashCode())
        .isEqualTo(RouteKey.of("0\u001fshop-1\u001fchair").hashCode());
    Set<RouteKey> keys = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      keys.add(RouteKey.of("0\u001fM" + i));
    }
    // Non-ASCII text hashes by its UTF-8 bytes: "é" and "e\u0301" are different keys.
    keys.add(RouteKey.of("caf\u00e9"));
    keys.add(RouteKey.of("cafe\u0301"));
    assertThat(keys).hasSize(100_002);
  }

  @Test
  void serializerWritesSixteenBytesAndReadsTheSameKey() throws IOException {
    RouteKey key = RouteKey.of("2\u001fP312\u001fchrY:2887824");
    DataOutputSerializer out = new DataOutputSerializer(32);
    RouteKey.Serializer.INSTANCE.serialize(key, out);

    assertThat(out.length()).isEqualTo(16);
    assertThat(
            RouteKey.Serializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(key);
  }

  @Test
  void textStateRoundTripsUnicodeAndNull() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    Utf8Text.Serializer.INSTANCE.serialize("/data/\u00e9t\u00e9.csv\u00000000000000000000042", out);
    Utf8Text.Serializer.INSTANCE.serialize(null, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

    assertThat(Utf8Text.Serializer.INSTANCE.deserialize(in))
        .isEqualTo("/data/\u00e9t\u00e9.csv\u00000000000000000000042");
    assertThat(Utf8Text.Serializer.INSTANCE.deserialize(in)).isNull();
  }
}
