package dev.pgingest.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * Starts the runner in a second JVM that maps a class-data archive of the runner jar, made by the
 * first run ({@code -XX:ArchiveClassesAtExit}) and kept in {@code $PGINGEST_HOME/cds}.
 *
 * <p>Why: {@code java -jar pgingest.jar} spends most of its start-up loading and verifying the
 * ~15,000 classes of Flink, its RPC and web stack and the JDBC driver from a 300 MB jar. Mapped
 * from the archive they cost a fraction of that (bench/README.md), and a JVM option can reach the
 * JVM only on its command line, which a jar cannot set for itself. The parent only waits: it passes
 * on its own JVM options, hands the child the terminal, ignores Ctrl-C (the terminal sends it to
 * the child too, which stops the job with a savepoint) and exits with the child's code. The child
 * holds a pipe from the parent as its standard input and halts at once when that closes, so killing
 * the parent with SIGKILL ends the run as killing a single JVM would. {@code PGINGEST_CDS=off} runs
 * in one JVM, as do runs with JVM options that cannot be passed on twice (an agent, a flight
 * recording, an archive of their own).
 */
final class Launcher {
  /** System property the child JVM carries. */
  static final String CHILD = "pgingest.child";

  /** How many archives {@link #prune} keeps. */
  private static final int KEPT = 3;

  private Launcher() {}

  /**
   * Runs {@code args} in a child JVM and returns its exit code, or nothing where this JVM should
   * run them itself (it is the child, or a child cannot help).
   */
  static OptionalInt relaunch(String[] args) {
    if (System.getProperty(CHILD) != null) {
      haltWithParent();
      return OptionalInt.empty();
    }
    if (args.length == 0 || !args[0].equals("run")) {
      // Help and usage errors end before any class worth archiving is loaded.
      return OptionalInt.empty();
    }
    Path jar = ownJar();
    List<String> jvmOptions = jvmOptions();
    if (jar == null
        || jvmOptions == null
        || "off".equalsIgnoreCase(System.getenv("PGINGEST_CDS"))
        || jvmOptions.stream().anyMatch(Launcher::notTwice)) {
      return OptionalInt.empty();
    }
    try {
      Path dir = Main.defaultHome().resolve("cds");
      Files.createDirectories(dir);
      Path archive = dir.resolve("pgingest-" + fingerprint(jar, jvmOptions) + ".jsa");
      Path dump = null;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-D" + CHILD + "=1");
      if (Files.isRegularFile(archive)) {
        command.add("-XX:SharedArchiveFile=" + archive);
      } else {
        // Written under a name of its own and moved into place once complete, so two first runs
        // at once never map a half-written archive.
        dump = Files.createTempFile(dir, "dump-", ".jsa");
        Files.delete(dump);
        command.add("-XX:ArchiveClassesAtExit=" + dump);
      }
      // Classes the archive cannot hold (old class file versions, other loaders) are normal here.
      command.add("-Xlog:cds=off,cds+dynamic=off");
      command.add("-jar");
      command.add(jar.toString());
      command.addAll(List.of(args));
      Process child =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Signal.handle(new Signal("INT"), s -> {});
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (child.isAlive()) {
                      child.destroy();
                      try {
                        child.waitFor();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                  }));
      int code = child.waitFor();
      if (dump != null && Files.isRegularFile(dump)) {
        if (code == 0) {
          Files.move(
              dump, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          prune(dir);
        } else {
          Files.deleteIfExists(dump);
        }
      }
      return OptionalInt.of(code);
    } catch (IOException e) {
      // No child could be started (a read-only home, no java binary): run here, only slower.
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    }
  }

  /**
   * The options this JVM was started with: what comes before {@code -jar} on its command line (read
   * from the OS, which is cheaper at start-up than the management beans), or null.
   */
  private static List<String> jvmOptions() {
    String[] all = ProcessHandle.current().info().arguments().orElse(null);
    if (all == null) {
      return null;
    }
    List<String> options = new ArrayList<>();
    for (String a : all) {
      if (a.equals("-jar")) {
        return options;
      }
      options.add(a);
    }
    return null;
  }

  /**
   * Keeps the {@value #KEPT} newest archives: each build of the jar (and each set of JVM options)
   * makes one of about 80 MB, and only the current ones are ever mapped again.
   */
  private static void prune(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> old =
          files
              .filter(f -> f.getFileName().toString().matches("pgingest-[0-9a-f]+\\.jsa"))
              .sorted(Comparator.comparing(Launcher::modified).reversed())
              .skip(KEPT)
              .toList();
      for (Path f : old) {
        Files.deleteIfExists(f);
      }
    } catch (IOException | UncheckedIOException e) {
      // An archive left behind costs disk space, never correctness.
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** JVM options a second JVM must not repeat, or that manage class data themselves. */
  private static boolean notTwice(String option) {
    String o = option.toLowerCase(Locale.ROOT);
    return o.startsWith("-javaagent")
        || o.startsWith("-agentlib")
        || o.startsWith("-agentpath")
        || o.startsWith("-xx:startflightrecording")
        || o.startsWith("-xx:sharedarchivefile")
        || o.startsWith("-xx:archiveclassesatexit")
        || o.startsWith("-xshare")
        || o.startsWith("-xx:flags");
  }

  /** The runner jar this JVM was started with by {@code java -jar}, or null. */
  private static Path ownJar() {
    try {
      var source = Launcher.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      String command = System.getProperty("sun.java.command", "");
      return Files.isRegularFile(p)
              && p.toString().endsWith(".jar")
              && command.startsWith(jarArg(p, command))
          ? p.toAbsolutePath()
          : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The jar as {@code sun.java.command} names it: the path given to {@code -jar}. */
  private static String jarArg(Path jar, String command) {
    int space = command.indexOf(' ');
    String first = space < 0 ? command : command.substring(0, space);
    return new File(first)
            .getAbsoluteFile()
            .toPath()
            .normalize()
            .equals(jar.toAbsolutePath().normalize())
        ? first
        : "\u0000";
  }

  /** Names the archive after what it depends on: the jar's bytes, the JVM and its options. */
  private static String fingerprint(Path jar, List<String> jvmOptions) throws IOException {
    String id =
        jar.toAbsolutePath()
            + "|"
            + Files.size(jar)
            + "|"
            + Files.getLastModifiedTime(jar).toMillis()
            + "|"
            + System.getProperty("java.vm.version")
            + "|"
            + String.join(" ", jvmOptions);
    // A name only: an archive of another jar is refused by the JVM, which then loads as usual.
    return Integer.toHexString(id.hashCode());
  }

  /**
   * Ends this JVM as SIGKILL would. {@code Runtime.halt} waits for a safepoint and took seconds
   * here, long enough for a run started right after to find this one's run lock still held.
   */
  private static void die() {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
          .redirectErrorStream(true)
          .start()
          .waitFor();
    } catch (IOException e) {
      // No kill command: halting is the next best.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(137);
  }

  /** In the child: ends this JVM at once when the parent's pipe closes (the parent is gone). */
  private static void haltWithParent() {
    Thread t =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                  // The parent never writes; anything read is ignored.
                }
              } catch (IOException e) {
                // A broken pipe means the same as its end.
              }
              die();
            },
            "parent watch");
    t.setDaemon(true);
    t.start();
  }
}
