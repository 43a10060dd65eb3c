package dev.pgingest.format.genbank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests of {@link Location#parse}: every form of the INSDC location grammar we read. */
class LocationTest {

  private static Part range(long start, long end, int strand) {
    return new Part(null, start, end, strand, Part.RANGE, null);
  }

  @Test
  void simpleRange() {
    assertThat(Location.parse("1..513"))
        .isEqualTo(new Location(1L, 513L, 1, false, false, List.of(range(1, 513, 1))));
  }

  @Test
  void singleBase() {
    assertThat(Location.parse("467"))
        .isEqualTo(new Location(467L, 467L, 1, false, false, List.of(range(467, 467, 1))));
  }

  @Test
  void partialEnds() {
    Location loc = Location.parse("join(<1..48,143..>206)");
    assertThat(loc.start()).isEqualTo(1L);
    assertThat(loc.end()).isEqualTo(206L);
    assertThat(loc.partialStart()).isTrue();
    assertThat(loc.partialEnd()).isTrue();
    assertThat(loc.parts()).containsExactly(range(1, 48, 1), range(143, 206, 1));
    assertThat(Location.parse("<5..10").partialEnd()).isFalse();
  }

  @Test
  void complement() {
    Location loc = Location.parse("complement(3300..4037)");
    assertThat(loc.strand()).isEqualTo(-1);
    assertThat(loc.parts()).containsExactly(range(3300, 4037, -1));
  }

  @Test
  void complementOfJoinListsPartsInBiologicalOrder() {
    Location loc = Location.parse("complement(join(2691..4571,4918..5163))");
    assertThat(loc.parts()).containsExactly(range(4918, 5163, -1), range(2691, 4571, -1));
    assertThat(loc.start()).isEqualTo(2691L);
    assertThat(loc.end()).isEqualTo(5163L);
    assertThat(loc.strand()).isEqualTo(-1);
  }

  @Test
  void joinOfComplements() {
    Location loc = Location.parse("join(complement(4918..5163),complement(2691..4571))");
    assertThat(loc.parts()).containsExactly(range(4918, 5163, -1), range(2691, 4571, -1));
    assertThat(loc.start()).isEqualTo(2691L);
    assertThat(loc.end()).isEqualTo(5163L);
    assertThat(loc.strand()).isEqualTo(-1);
  }

  @Test
  void mixedStrandsHaveNoStrand() {
    Location loc = Location.parse("join(complement(10..20),30..40)");
    assertThat(loc.strand()).isNull();
    assertThat(loc.start()).isEqualTo(10L);
    assertThat(loc.end()).isEqualTo(40L);
  }

  @Test
  void order() {
    Location loc = Location.parse("order(29..30,33,36..37)");
    assertThat(loc.parts()).containsExactly(range(29, 30, 1), range(33, 33, 1), range(36, 37, 1));
    assertThat(loc.start()).isEqualTo(29L);
    assertThat(loc.end()).isEqualTo(37L);
  }

  @Test
  void oneOf() {
    Location loc = Location.parse("one-of(1888,1901)..2200");
    assertThat(loc.start()).isEqualTo(1888L);
    assertThat(loc.end()).isEqualTo(2200L);
    assertThat(loc.parts()).containsExactly(range(1888, 2200, 1));
    assertThat(Location.parse("(1888.1901)..2200").start()).isEqualTo(1888L);
  }

  @Test
  void siteBetweenBases() {
    assertThat(Location.parse("123^124").parts())
        .containsExactly(new Part(null, 123L, 124L, 1, Part.SITE, null));
  }

  @Test
  void oldBetweenForm() {
    Location loc = Location.parse("102.110");
    assertThat(loc.parts()).containsExactly(new Part(null, 102L, 110L, 1, Part.BETWEEN, null));
    assertThat(loc.start()).isEqualTo(102L);
    assertThat(loc.end()).isEqualTo(110L);
  }

  @Test
  void remoteAccessionsAreNotInTheSpan() {
    Location loc =
        Location.parse("join(2201..2479,U18267.1:120..246,U18270.1:4691..4788,U18269.1:82..>128)");
    assertThat(loc.start()).isEqualTo(2201L);
    assertThat(loc.end()).isEqualTo(2479L);
    assertThat(loc.partialEnd()).isTrue();
    assertThat(loc.parts().get(2))
        .isEqualTo(new Part("U18270.1", 4691L, 4788L, 1, Part.RANGE, null));
    assertThat(Location.parse("U18270.1:4691..4788").start()).isNull();
  }

  @Test
  void gaps() {
    Location loc =
        Location.parse(
            "join(AL391218.9:105173..108462,gap(100),complement(AL512330.12:1..182490),gap(),gap(unk100))");
    assertThat(loc.parts())
        .containsExactly(
            new Part("AL391218.9", 105173L, 108462L, 1, Part.RANGE, null),
            new Part(null, null, null, null, Part.GAP, 100L),
            new Part("AL512330.12", 1L, 182490L, -1, Part.RANGE, null),
            new Part(null, null, null, null, Part.GAP, null),
            new Part(null, null, null, null, Part.GAP, 100L));
    assertThat(loc.start()).isNull();
    assertThat(loc.end()).isNull();
    assertThat(loc.strand()).isNull();
  }

  @Test
  void joinAcrossTheOriginStartsAfterItEnds() {
    Location loc = Location.parse("join(9462..9609,1..63)");
    assertThat(loc.start()).isEqualTo(9462L);
    assertThat(loc.end()).isEqualTo(63L);
    assertThat(loc.strand()).isEqualTo(1);
    Location minus = Location.parse("complement(join(9462..9609,1..63))");
    assertThat(minus.start()).isEqualTo(9462L);
    assertThat(minus.end()).isEqualTo(63L);
    assertThat(minus.strand()).isEqualTo(-1);
  }

  @Test
  void backStepNotToBaseOneKeepsThePlainSpan() {
    Location loc = Location.parse("join(500..600,100..200)");
    assertThat(loc.start()).isEqualTo(100L);
    assertThat(loc.end()).isEqualTo(600L);
    Location order = Location.parse("order(9462..9609,1..63)");
    assertThat(order.start()).isEqualTo(1L);
    assertThat(order.end()).isEqualTo(9609L);
  }

  @Test
  void bond() {
    assertThat(Location.parse("bond(12,30)").parts())
        .containsExactly(range(12, 12, 1), range(30, 30, 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "join(1..",
        "join(1..10",
        "1..",
        "..5",
        "abc",
        "complement(5..3)",
        "0..5",
        "join(1..5,)",
        "1..5)",
        "one-of(1,)..5",
        "1..5 6",
        "1234567890123456789..1234567890123456790",
        ":1..5",
        "gap(x)"
      })
  void rejectsWhatIsNotALocation(String text) {
    assertThatThrownBy(() -> Location.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void errorsSayWhere() {
    assertThatThrownBy(() -> Location.parse("join(1.."))
        .hasMessage("missing position at end at offset 8");
    assertThatThrownBy(() -> Location.parse("complement(5..3)"))
        .hasMessageContaining("range starts after it ends (5 > 3)");
  }
}
