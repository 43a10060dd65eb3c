package dev.pgingest.sink;

import com.carrotsearch.hppc.LongHashSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Rows staged by binary COPY into the session's {@code TEMP} tables, merged into the targets by one
 * {@code INSERT … SELECT … ON CONFLICT} statement with their counts.
 *
 * <p>A key staged twice before a merge (a repeat that dedup passes on to be merged) would make
 * {@code ON CONFLICT} touch a row twice, so such a row waits in memory and is upserted right after
 * the merge. Rows PostgreSQL refuses for their data are found by {@link PoisonRows}, halving the
 * staged seq range as it halves a batch, and go to the rejects table in the merge.
 *
 * <p>Staged rows and the rows waiting for after the merge never hold two versions of a {@linkplain
 * TableDef#versioned versioned} route: the writer merges first ({@link #holdsOtherVersion}), so the
 * newer parent row's trim sees the older version's child rows in the table and deletes those the
 * newer version no longer has.
 */
final class StagedMerge<R extends UpsertRow<R>> {

  /** Batches staged before a merge comes without waiting for the checkpoint. */
  static final int MERGE_BATCHES = 10;

  private final Connection c;
  private final CopiedTables<R> copied;
  private final long runId;
  private final String job;
  private final int batchRows;
  private final SinkMetrics metrics;
  private final String mergeSql;
  private final boolean mergeCounts;

  /** The COPY statement of each copied table's staging table. */
  private final String[] copySql;

  /** The upsert statement of the copied tables, for {@link #later} rows. */
  private final UpsertStatement<R> repeats;

  private final LongHashSet staged = new LongHashSet();

  /** Position in file order of the versioned rows staged or waiting, by route. */
  private final HashMap<String, String> versions = new HashMap<>();

  /** Rows of keys already staged, by key, in arrival order: written after the merge. */
  private final LinkedHashMap<String, R> later = new LinkedHashMap<>();

  private final CopyBuffer buffer = new CopyBuffer(1 << 16);
  private long nextSeq;

  /** Creates (or empties) this session's staging tables. */
  StagedMerge(
      Connection c,
      CopiedTables<R> copied,
      String schema,
      String rejectsTable,
      String runsTable,
      long runId,
      String job,
      int batchRows,
      SinkMetrics metrics)
      throws SQLException {
    this.c = c;
    this.copied = copied;
    this.runId = runId;
    this.job = job;
    this.batchRows = batchRows;
    this.metrics = metrics;
    // Staging tables are numbered by position among the copied tables, as WriteSql numbers them.
    mergeSql =
        WriteSql.statement(
            copied.tables, schema, rejectsTable, true, WriteSql.runStart(schema, runsTable, runId));
    mergeCounts = WriteSql.counts(copied.tables);
    repeats =
        new UpsertStatement<>(
            copied.tables, copied.indexes, schema, rejectsTable, runsTable, runId, job);
    copySql = new String[copied.size()];
    for (int k = 0; k < copied.size(); k++) {
      copySql[k] =
          "COPY "
              + WriteSql.stageTable(k)
              + " ("
              + copied.tables.get(k).writtenColumns().stream()
                  .map(col -> SqlNames.ident(col.name()))
                  .collect(Collectors.joining(", "))
              + ", "
              + String.join(", ", WriteSql.SEQ, WriteSql.REPEAT, WriteSql.FILE, WriteSql.LINE)
              + ") FROM STDIN (FORMAT binary)";
    }
    try (Statement st = c.createStatement()) {
      // Staged rows stay in the session's memory up to this (the default is 8 MB, less than
      // one merge of wide rows); only allowed before the session's first temporary table.
      st.execute("SET temp_buffers = '256MB'");
      for (int k = 0; k < copied.size(); k++) {
        st.execute(WriteSql.stageTableSql(copied.tables.get(k), k));
        // A session the provider kept across a restart may still hold rows of the failed try.
        st.execute("TRUNCATE " + WriteSql.stageTable(k));
      }
    }
  }

  /**
   * 64-bit FNV-1a of a key: equal keys collide always, others about never (then: one early merge).
   */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * Stages rows by COPY. A key already staged since the last merge waits in memory, merged with its
   * own later repeats, and is upserted right after the staged rows are merged. Repeats are few, so
   * that stays small; past a batch of them the merge comes early.
   */
  void stage(List<R> rows) throws SQLException {
    List<R> fresh = new ArrayList<>(rows.size());
    for (R row : rows) {
      if (copied.versioned[row.table()]) {
        versions.put(row.route(), row.order());
      }
      // Appended rows are unique by construction (file and line): no key to watch for.
      if (row.repeats() == UpsertRow.Repeats.NONE || staged.add(hash(row.key()))) {
        fresh.add(row);
      } else {
        // Merged into the row the merge writes, after it, as a later batch would be.
        later.merge(row.key(), row, UpsertRow::merge);
      }
    }
    copy(fresh);
    // A merge is a write like any other, safe at any time; merging in parts keeps PostgreSQL
    // busy while the job parses on, instead of one long stall at the checkpoint.
    if (later.size() >= batchRows || nextSeq >= (long) MERGE_BATCHES * batchRows) {
      merge();
    }
  }

  /**
   * Whether rows of another version of a versioned route than one among {@code rows} are staged or
   * waiting: then the writer merges them before it writes {@code rows}.
   */
  boolean holdsOtherVersion(List<R> rows) {
    if (versions.isEmpty()) {
      return false;
    }
    for (R row : rows) {
      if (copied.versioned[row.table()]) {
        String held = versions.get(row.route());
        if (held != null && !held.equals(row.order())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * One binary COPY per copied table that has rows among {@code rows}. Every staged column is text
   * and the codecs refuse NUL bytes, so COPY has no value to refuse: the casts, checks and keys
   * that can refuse a row all run in the merge.
   */
  private void copy(List<R> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    List<List<R>> byTable = copied.split(rows);
    for (int k = 0; k < copied.size(); k++) {
      if (byTable.get(k).isEmpty()) {
        continue;
      }
      List<Column<R>> cols = copied.tables.get(k).writtenColumns();
      buffer.start();
      for (R row : byTable.get(k)) {
        buffer.tuple(cols.size() + 4);
        for (Column<R> col : cols) {
          Object v = col.getter().apply(row);
          buffer.text(v == null ? null : v.toString());
        }
        buffer.int8(nextSeq++);
        buffer.bool(row.repeat());
        buffer.text(row.file());
        if (row.file() == null) {
          buffer.nullField();
        } else {
          buffer.int8(row.line());
        }
      }
      buffer.end();
      buffer.copyTo(c, copySql[k]);
    }
    metrics.written(rows.size(), System.nanoTime() - start);
  }

  /** Merges everything staged into the targets in one statement, then empties the staging. */
  void merge() throws SQLException {
    if (nextSeq == 0 && later.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    List<Reject> rejects = List.of();
    long[] refused = new long[0];
    try (PreparedStatement ps = c.prepareStatement(mergeSql)) {
      try {
        bind(ps, 0, nextSeq, refused, rejects);
        ps.execute();
      } catch (SQLException e) {
        if (!PoisonRows.isDataError(e)) {
          throw e;
        }
        // The staged rows in seq order, halved as PoisonRows halves a batch: each part is the
        // merge of a seq range.
        List<PoisonRows.Refused<Long>> found =
            PoisonRows.find(
                c,
                mergeSql,
                LongStream.range(0, nextSeq).boxed().toList(),
                (part, seqs) -> {
                  bind(part, seqs.get(0), seqs.get(seqs.size() - 1) + 1, new long[0], List.of());
                  part.execute();
                });
        refused = found.stream().mapToLong(PoisonRows.Refused::row).toArray();
        rejects = rejectsOf(found);
        bind(ps, 0, nextSeq, refused, rejects);
        ps.execute();
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute(
          "TRUNCATE "
              + IntStream.range(0, copied.size())
                  .mapToObj(WriteSql::stageTable)
                  .collect(Collectors.joining(", ")));
    }
    metrics.written((int) Math.min(Integer.MAX_VALUE, nextSeq), System.nanoTime() - start);
    nextSeq = 0;
    staged.clear();
    versions.clear();
    if (!later.isEmpty()) {
      List<R> rows = new ArrayList<>(later.values());
      later.clear();
      try (PreparedStatement ps = c.prepareStatement(repeats.query())) {
        for (int from = 0; from < rows.size(); from += batchRows) {
          List<R> part = rows.subList(from, Math.min(rows.size(), from + batchRows));
          repeats.run(ps, new WriteBatch<>(part, List.of()), metrics);
        }
      }
    }
  }

  /** The refused rows as rejects: their origin, the reason, their values read back. */
  private List<Reject> rejectsOf(List<PoisonRows.Refused<Long>> found) throws SQLException {
    List<Reject> out = new ArrayList<>();
    for (PoisonRows.Refused<Long> f : found) {
      for (int k = 0; k < copied.size(); k++) {
        TableDef<R> t = copied.tables.get(k);
        List<Column<R>> cols = t.writtenColumns();
        String select =
            "SELECT "
                + WriteSql.FILE
                + ", "
                + WriteSql.LINE
                + ", "
                + cols.stream()
                    .map(col -> SqlNames.ident(col.name()))
                    .collect(Collectors.joining(", "))
                + " FROM "
                + WriteSql.stageTable(k)
                + " WHERE "
                + WriteSql.SEQ
                + " = ?";
        try (PreparedStatement q = c.prepareStatement(select)) {
          q.setLong(1, f.row());
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              StringBuilder raw = new StringBuilder();
              for (int i = 0; i < cols.size(); i++) {
                raw.append(i == 0 ? "" : ", ")
                    .append(cols.get(i).name())
                    .append('=')
                    .append(rs.getString(3 + i));
              }
              String file = rs.getString(1);
              long line = rs.getLong(2);
              if (file == null) {
                file = t.displayName();
                line = Math.abs((long) raw.toString().hashCode());
              }
              out.add(new Reject(file, line, t.displayName() + ": " + f.reason(), raw.toString()));
            }
          }
        }
      }
    }
    return out;
  }

  private void bind(PreparedStatement ps, long lo, long hi, long[] refused, List<Reject> rejects)
      throws SQLException {
    Long[] excluded = Arrays.stream(refused).boxed().toArray(Long[]::new);
    int p = UpsertStatement.bindRejects(ps, runId, job, rejects);
    for (TableDef<R> t : copied.tables) {
      if (t.stamped()) {
        ps.setLong(p++, runId);
        ps.setLong(p++, runId);
      }
      int parts = WriteSql.split(t) ? 2 : 1;
      for (int part = 0; part < parts; part++) {
        ps.setLong(p++, lo);
        ps.setLong(p++, hi);
        ps.setArray(p++, c.createArrayOf("int8", excluded));
      }
    }
    if (mergeCounts) {
      ps.setLong(p, runId);
    }
  }
}
