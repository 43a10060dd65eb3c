package dev.pgingest.workload.profiles;

import dev.pgingest.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/** Seeded dumps of scraped social-media profiles for {@code jobs/profiles.yaml}: JSONL or CSV. */
public final class ProfilesDump {

  /**
   * What a dump holds.
   *
   * @param records records written, repeats included
   * @param distinctIds ids among them
   */
  public record Stats(long records, long distinctIds) {}

  /** The two layouts a scraper's output comes in; chosen by the file name. */
  public enum Format {
    JSONL,
    CSV;

    /** CSV for {@code *.csv} and {@code *.csv.gz}, JSONL for anything else. */
    public static Format of(Path file) {
      String name = file.getFileName().toString();
      if (name.endsWith(".gz")) {
        name = name.substring(0, name.length() - 3);
      }
      return name.endsWith(".csv") ? CSV : JSONL;
    }
  }

  /** Field names in the order JSONL objects and CSV columns hold them. */
  public static final List<String> FIELDS =
      List.of(
          "id",
          "username",
          "full_name",
          "biography",
          "follower_count",
          "following_count",
          "media_count",
          "is_private",
          "is_verified",
          "scraped_at");

  /** Longest biography written, in UTF-16 chars: the platforms cap biographies near this. */
  public static final int MAX_BIOGRAPHY = 300;

  /**
   * One generated record.
   *
   * @param line the line the record starts on (1-based; a CSV header is line 1), the engine's
   *     {@code $line}
   * @param fullName null for a profile without a display name
   * @param biography empty for a profile without one
   */
  public record Profile(
      long line,
      long id,
      String username,
      String fullName,
      String biography,
      long followerCount,
      long followingCount,
      long mediaCount,
      boolean isPrivate,
      boolean isVerified,
      String scrapedAt) {

    /** The record as one compact JSON object, without a line end. */
    public String json() {
      StringBuilder sb = new StringBuilder(160 + biography.length());
      sb.append("{\"id\":").append(id);
      sb.append(",\"username\":");
      Json.string(sb, username);
      sb.append(",\"full_name\":");
      if (fullName == null) {
        sb.append("null");
      } else {
        Json.string(sb, fullName);
      }
      sb.append(",\"biography\":");
      Json.string(sb, biography);
      sb.append(",\"follower_count\":").append(followerCount);
      sb.append(",\"following_count\":").append(followingCount);
      sb.append(",\"media_count\":").append(mediaCount);
      sb.append(",\"is_private\":").append(isPrivate);
      sb.append(",\"is_verified\":").append(isVerified);
      sb.append(",\"scraped_at\":");
      Json.string(sb, scrapedAt);
      return sb.append('}').toString();
    }

    /** The record as one RFC 4180 CSV record, without its CRLF; a null is an empty field. */
    public String csv() {
      StringBuilder sb = new StringBuilder(120 + biography.length());
      sb.append(id).append(',');
      csvField(sb, username);
      sb.append(',');
      csvField(sb, fullName);
      sb.append(',');
      csvField(sb, biography);
      sb.append(',').append(followerCount);
      sb.append(',').append(followingCount);
      sb.append(',').append(mediaCount);
      sb.append(',').append(isPrivate);
      sb.append(',').append(isVerified);
      sb.append(',').append(scrapedAt);
      return sb.toString();
    }

    /** Physical lines the record takes in a CSV file: quoted line breaks add to its one. */
    long csvLines() {
      return 1 + newlines(fullName) + newlines(biography);
    }
  }

  private static final String CSV_HEADER = String.join(",", FIELDS);

  private static final String[] WORDS = {
    "travel", "photo", "coffee", "daily", "studio", "art", "wild", "urban", "tiny", "slow",
    "green", "north", "sea", "mountain", "kitchen", "film", "code", "yoga", "run", "vinyl",
    "bread", "garden", "sketch", "moon", "pixel", "retro", "trail", "ocean", "book", "paper"
  };
  private static final String[] FIRST = {
    "Mara", "Tunde", "José", "Priya", "Eirik", "Lena", "Kai", "Sofia", "Amelia", "Lukas", "Zoë",
    "Inês", "Arjun", "Hannah", "Mateo", "Ana", "Fatima", "Bo", "Mei", "Rory", "Lara", "Luna",
    "Nina", "Marco", "Aiko", "Noa", "Silas", "Claire", "Jonas", "Søren", "Ewa", "Łukasz"
  };
  private static final String[] LAST = {
    "Jensen",
    "Oyelaran",
    "Müller",
    "Raman",
    "Solberg",
    "Kowalski",
    "Nakamura",
    "Ortega",
    "Ross",
    "Brandt",
    "Laurent",
    "Carvalho",
    "Mehta",
    "O'Neill",
    "García",
    "Lima",
    "Zahra",
    "Andersson",
    "Chen",
    "Doyle",
    "Novak",
    "Petrova",
    "Weiss",
    "Rossi",
    "Tanaka",
    "Levi",
    "Grant",
    "Dubois"
  };
  private static final String[] BIO_WORDS = {
    "photographer",
    "based in",
    "Lisbon",
    "Berlin",
    "Lagos",
    "Tokyo",
    "coffee",
    "travel",
    "art",
    "design",
    "runner",
    "mom of 2",
    "dad jokes",
    "DMs open",
    "link in bio",
    "shop",
    "new video",
    "every Friday",
    "views my own",
    "plants",
    "books",
    "bikes",
    "surf",
    "sourdough",
    "ceramics",
    "since 2012",
    "est. 1998",
    "she/her",
    "he/him",
    "they/them",
    "collabs:",
    "hello@example.com"
  };
  private static final String[] EMOJI = {
    "📸", "☕", "🌿", "🏔️", "🍞", "🌊", "🎨", "🚲", "📚", "✨", "🔥", "❤️", "🇧🇷", "🇯🇵", "👩‍💻",
    "🏃‍♀️", "🐈", "🍜", "🎶", "👇"
  };
  private static final String[] QUOTED = {
    "\"Light is everything\"",
    "\"send it\"",
    "\"just one more chapter\"",
    "\"less, but better\"",
    "\"words are bridges\""
  };

  /** Scrapes start here; records are spread over about a day. */
  private static final Instant FIRST_SCRAPE = Instant.parse("2026-11-01T00:00:00Z");

  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final ZoneOffset CET = ZoneOffset.ofHours(1);

  private ProfilesDump() {}

  /**
   * Writes {@code records} profiles to {@code file}: CSV (header, CRLF) when the name ends in
   * {@code .csv}, JSONL otherwise; gzipped when it ends in {@code .gz}. {@code repeatedFraction} of
   * the records (rounded; never the first) carry an id an earlier record of the file already had,
   * the way a scraper revisits a profile; new ids are {@link #id}{@code (firstId, k)} for k = 0, 1,
   * … A pure function of its arguments.
   */
  public static Stats write(
      Path file, int records, double repeatedFraction, long firstId, long seed) throws IOException {
    Format format = Format.of(file);
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            file.getFileName().toString().endsWith(".gz")
                ? new GZIPOutputStream(raw, 1 << 16)
                : raw;
        Writer w =
            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
      if (format == Format.CSV) {
        w.write(CSV_HEADER);
        w.write("\r\n");
      }
      IOException[] failure = {null};
      Stats stats =
          generate(
              records,
              repeatedFraction,
              firstId,
              seed,
              format,
              p -> {
                if (failure[0] != null) {
                  return;
                }
                try {
                  if (format == Format.CSV) {
                    w.write(p.csv());
                    w.write("\r\n");
                  } else {
                    w.write(p.json());
                    w.write('\n');
                  }
                } catch (IOException e) {
                  failure[0] = e;
                }
              });
      if (failure[0] != null) {
        throw failure[0];
      }
      return stats;
    }
  }

  /**
   * Hands the records {@link #write} would write to {@code sink}, in file order, without a file:
   * what a benchmark builds its COPY rows from.
   */
  public static Stats generate(
      int records,
      double repeatedFraction,
      long firstId,
      long seed,
      Format format,
      Consumer<Profile> sink) {
    if (records < 0 || repeatedFraction < 0 || repeatedFraction >= 1) {
      throw new IllegalArgumentException(
          "records must be ≥ 0 and repeatedFraction in [0, 1), got "
              + records
              + ", "
              + repeatedFraction);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    // Exactly round(records × fraction) repeats, placed by selection sampling (Knuth's algorithm
    // S) over records 2..n, so the figures a test or benchmark expects do not drift with the seed.
    long repeatsLeft =
        records == 0 ? 0 : Math.min(records - 1, Math.round(records * repeatedFraction));
    long distinct = 0;
    long line = format == Format.CSV ? 2 : 1;
    for (int i = 0; i < records; i++) {
      boolean repeat = i > 0 && rnd.nextLong(records - i) < repeatsLeft;
      long k;
      if (repeat) {
        repeatsLeft--;
        k = rnd.nextLong(distinct);
      } else {
        k = distinct++;
      }
      Profile p = profile(line, id(firstId, k), rnd, i);
      sink.accept(p);
      line += format == Format.CSV ? p.csvLines() : 1;
    }
    return new Stats(records, distinct);
  }

  /**
   * The k-th new id of a dump: {@code firstId} plus a bijective 32-bit scramble of k, so ids are
   * distinct and spread over ~4 billion values the way real ones are, not ascending, which would
   * make every index insert land on the same page.
   */
  public static long id(long firstId, long k) {
    if (k < 0 || k > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("k out of range: " + k);
    }
    // Each step (odd multiply mod 2^32, xor-shift right) is invertible: the whole is a bijection.
    long x = k;
    x = (x * 0x9E37_79B1L) & 0xFFFF_FFFFL;
    x ^= x >>> 16;
    x = (x * 0x85EB_CA6BL) & 0xFFFF_FFFFL;
    x ^= x >>> 13;
    x = (x * 0xC2B2_AE35L) & 0xFFFF_FFFFL;
    x ^= x >>> 16;
    return firstId + x;
  }

  /** Whether the k-th new id is among the {@code fraction} of ids {@link #writeIds} writes. */
  public static boolean preloaded(long k, double fraction) {
    return (long) Math.floor((k + 1) * fraction) > (long) Math.floor(k * fraction);
  }

  /**
   * Writes, as CSV with a header ({@code id,username,full_name}, LF), the rows a table of known
   * profiles holds before a load: {@code floor(distinctIds × fraction)} of the dump's ids, evenly
   * spread over it, with the same username and full name the dump gives them. Returns the count.
   */
  public static long writeIds(Path file, long firstId, long distinctIds, double fraction)
      throws IOException {
    long n = 0;
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id,username,full_name\n");
      StringBuilder sb = new StringBuilder(80);
      for (long k = 0; k < distinctIds; k++) {
        if (!preloaded(k, fraction)) {
          continue;
        }
        long id = id(firstId, k);
        SplittableRandom who = identity(id);
        sb.setLength(0);
        sb.append(id).append(',');
        csvField(sb, username(who, id));
        sb.append(',');
        csvField(sb, fullName(who));
        w.append(sb).append('\n');
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- one record

  private static Profile profile(long line, long id, SplittableRandom rnd, int i) {
    // Who the profile is follows from the id alone, so every scrape of an id, in any file, agrees
    // on it; what a scrape saw (counts, biography, time) varies.
    SplittableRandom who = identity(id);
    String username = username(who, id);
    String fullName = fullName(who);
    String bio = biography(rnd);
    long followers = (long) Math.exp(rnd.nextDouble() * 14);
    long following = rnd.nextLong(7_500);
    long media = rnd.nextLong(5_000);
    boolean isPrivate = rnd.nextInt(100) < 25;
    boolean isVerified = rnd.nextInt(100) < 2;
    String at = scrapedAt(rnd, i);
    return new Profile(
        line, id, username, fullName, bio, followers, following, media, isPrivate, isVerified, at);
  }

  private static SplittableRandom identity(long id) {
    return new SplittableRandom(id * 0x9E37_79B9_7F4A_7C15L);
  }

  private static String username(SplittableRandom who, long id) {
    StringBuilder sb = new StringBuilder(24);
    sb.append(WORDS[who.nextInt(WORDS.length)]);
    sb.append(who.nextBoolean() ? '.' : '_');
    sb.append(WORDS[who.nextInt(WORDS.length)]);
    // The id's tail keeps most usernames of different profiles apart, as on the platforms.
    sb.append(Long.toString(id % 100_000, 36));
    return sb.toString();
  }

  private static String fullName(SplittableRandom who) {
    int dice = who.nextInt(100);
    String first = FIRST[who.nextInt(FIRST.length)];
    String last = LAST[who.nextInt(LAST.length)];
    if (dice < 4) {
      return null;
    }
    if (dice < 6) {
      return "Dr. " + first + " " + last + ", PhD";
    }
    if (dice < 8) {
      return first + " \"" + first.substring(0, Math.min(3, first.length())) + "\" " + last;
    }
    return first + " " + last;
  }

  /** 0–300 chars: a quarter empty, the rest mostly short, some multi-line, emoji, quotes. */
  private static String biography(SplittableRandom rnd) {
    if (rnd.nextInt(100) < 25) {
      return "";
    }
    double u = rnd.nextDouble();
    int target = 1 + (int) (u * u * MAX_BIOGRAPHY);
    boolean multiLine = rnd.nextInt(100) < 30;
    StringBuilder sb = new StringBuilder(target + 40);
    while (sb.length() < target) {
      int dice = rnd.nextInt(100);
      if (sb.length() > 0) {
        if (multiLine && dice < 12) {
          sb.append('\n');
        } else if (dice < 30) {
          sb.append(", ");
        } else if (dice < 36) {
          sb.append(" | ");
        } else {
          sb.append(' ');
        }
      }
      dice = rnd.nextInt(100);
      if (dice < 20) {
        sb.append(EMOJI[rnd.nextInt(EMOJI.length)]);
      } else if (dice < 26) {
        sb.append(QUOTED[rnd.nextInt(QUOTED.length)]);
      } else if (dice < 27) {
        sb.append("¯\\_(ツ)_/¯");
      } else {
        sb.append(BIO_WORDS[rnd.nextInt(BIO_WORDS.length)]);
      }
    }
    return trimTo(sb, Math.min(target, MAX_BIOGRAPHY));
  }

  /** At most {@code max} chars, never splitting a surrogate pair, without trailing blanks. */
  private static String trimTo(StringBuilder sb, int max) {
    int end = Math.min(sb.length(), max);
    if (end > 0 && end < sb.length() && Character.isHighSurrogate(sb.charAt(end - 1))) {
      end--;
    }
    while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
      end--;
    }
    return sb.substring(0, end);
  }

  /** ISO-8601 as scrapers write it: UTC with or without milliseconds, or a +01:00 offset. */
  private static String scrapedAt(SplittableRandom rnd, int i) {
    Instant t = FIRST_SCRAPE.plusMillis(i * 170L + rnd.nextInt(170));
    int style = rnd.nextInt(3);
    if (style == 0) {
      return ISO.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
    if (style == 1) {
      return ISO.format(t.atOffset(ZoneOffset.UTC));
    }
    return ISO.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(CET));
  }

  // ---------------------------------------------------------------- encoding

  private static void csvField(StringBuilder sb, String s) {
    if (s == null) {
      return;
    }
    boolean quote = false;
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private static long newlines(String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
