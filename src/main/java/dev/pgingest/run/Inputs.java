package dev.pgingest.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/** Placeholder listing of input files (replaced by the spec branch's version). */
public final class Inputs {
  private Inputs() {}

  /** One input file as the source reads it. */
  public record InputFile(String path, long size, long modified) {}

  public static List<InputFile> list(List<String> paths) {
    List<InputFile> out = new ArrayList<>();
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem();
        add(fs, fs.getFileStatus(path), out);
      } catch (IOException e) {
        throw new RunFailure("Input not found: " + p + ".");
      }
    }
    return out;
  }

  private static void add(FileSystem fs, FileStatus s, List<InputFile> out) throws IOException {
    if (s.isDir()) {
      for (FileStatus c : fs.listStatus(s.getPath())) {
        add(fs, c, out);
      }
    } else {
      String scheme = s.getPath().toUri().getScheme();
      String shown = scheme == null || scheme.equals("file") ? s.getPath().toUri().getPath() : s.getPath().toString();
      out.add(new InputFile(shown, s.getLen(), s.getModificationTime()));
    }
  }
}
