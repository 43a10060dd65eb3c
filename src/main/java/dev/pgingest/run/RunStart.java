package dev.pgingest.run;

import java.util.List;

/**
 * What a run starts from: its row, deferred indexes, the files it reads (and today's listing of the
 * sources they belong to), restore point (null: a new run).
 */
record RunStart(
    RunLog.Row run,
    List<String> deferred,
    List<Inputs.InputFile> files,
    Inputs.Listing listing,
    String restore) {
  long runId() {
    return run.runId();
  }

  List<String> paths() {
    return files.stream().map(Inputs.InputFile::path).toList();
  }

  long totalBytes() {
    return FileLedger.bytes(files);
  }
}
