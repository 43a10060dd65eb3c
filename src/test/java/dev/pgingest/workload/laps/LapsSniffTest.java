package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.workload.laps.liverc.LiveRcCodec;
import dev.pgingest.workload.laps.timing.TelemetryCodec;
import dev.pgingest.workload.laps.timing.TimingCsvCodec;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The laps codecs recognizing their files by their first bytes, on fixtures under {@code
 * workload/laps/sniff/} named after their edge case; each also refuses its neighbour's files, which
 * is what sends a timing export and a telemetry dump given together to their own sources.
 */
class LapsSniffTest {

  static byte[] head(String fixture) throws IOException {
    try (InputStream in =
        LapsSniffTest.class.getResourceAsStream("/workload/laps/sniff/" + fixture)) {
      return in.readAllBytes();
    }
  }

  @Test
  void timingExportByItsSemicolonHeaderTelemetryByItsQuotedCommaHeader() throws IOException {
    byte[] timing = head("timing-bom-padded-semicolon-header.csv");
    byte[] telemetry = head("telemetry-quoted-comma-header.csv");
    assertThat(TimingCsvCodec.recognizes(timing)).isTrue();
    assertThat(TelemetryCodec.recognizes(timing)).isFalse();
    assertThat(TelemetryCodec.recognizes(telemetry)).isTrue();
    assertThat(TimingCsvCodec.recognizes(telemetry)).isFalse();
    assertThat(TimingCsvCodec.recognizes(head("timing-header-without-lap-number.csv"))).isFalse();
  }

  @Test
  void liveRcPageByHtmlThatNamesLiveRc() throws IOException {
    assertThat(LiveRcCodec.recognizes(head("liverc-saved-page.html"))).isTrue();
    assertThat(LiveRcCodec.recognizes(head("html-page-not-liverc.html"))).isFalse();
    assertThat(LiveRcCodec.recognizes(head("timing-bom-padded-semicolon-header.csv"))).isFalse();
  }
}
