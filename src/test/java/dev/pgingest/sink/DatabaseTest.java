package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** A password in the URL moves out of it; what the job gets carries none. */
class DatabaseTest {

  @Test
  void passwordParameterIsTakenOutOfTheUrlWhereverItStands() {
    Database first =
        new Database("jdbc:postgresql://db:5432/x?password=s%40cret&user=u", null, null);
    assertThat(first.url()).isEqualTo("jdbc:postgresql://db:5432/x?user=u");
    assertThat(first.password()).isEqualTo("s@cret");

    Database last = new Database("jdbc:postgresql://db/x?user=u&ssl=true&PASSWORD=p2", null, null);
    assertThat(last.url()).isEqualTo("jdbc:postgresql://db/x?user=u&ssl=true");
    assertThat(last.password()).isEqualTo("p2");

    Database only = new Database("jdbc:postgresql://db/x?password=p3", "u", null);
    assertThat(only.url()).isEqualTo("jdbc:postgresql://db/x");
    assertThat(only.toString()).doesNotContain("p3");
  }

  @Test
  void sinkProviderSerializesWithoutThePassword() throws Exception {
    Database db =
        new Database("jdbc:postgresql://db:5432/x?user=u&password=hunter2-marker", null, null);
    byte[] bytes = InstantiationUtil.serializeObject(db.sinkProvider());
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
        .contains("jdbc:postgresql://db:5432/x?user=u")
        .doesNotContain("hunter2-marker");
    assertThatThrownBy(() -> new PgConnectionProvider("jdbc:postgresql://db/x?password=p", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addressForMessages() {
    assertThat(new Database("jdbc:postgresql://10.0.0.5:6432/x", null, null).address())
        .isEqualTo("10.0.0.5:6432");
    assertThat(new Database("jdbc:postgresql:///x", null, null).address())
        .isEqualTo("localhost:5432");
  }
}
