package dev.pgingest.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The COPY path: rows of the {@code copied} tables go by binary {@code COPY} into staging tables
 * of the writer's own session, and one {@code INSERT … SELECT … ON CONFLICT} statement per
 * checkpoint ({@link #flush}) merges them into the targets; rows of the other tables and the
 * rejects are written per batch by the same statement the JDBC-connector path uses.
 *
 * <p>Why not the Flink JDBC connector: its writer binds each element to a {@code
 * PreparedStatement} and has no hook at the checkpoint but the flush of its own batch, while COPY
 * needs pgjdbc's {@code CopyManager} on the raw connection and the merge must run exactly at the
 * checkpoint barrier. So this is a small Sink V2 writer of our own, on the same connection
 * provider (one connection per subtask, no more than the upsert path) and the same statement text
 * ({@link WriteSql}, its rows read from the staging tables instead of arrays).
 *
 * <p>Why it is replay-safe and its counts exact: the staging tables are {@code TEMP} (no WAL, gone
 * with the session), so rows staged after the last checkpoint vanish with a failed task and come
 * back with the replay; the merge is the upsert path's idempotent statement, committed with its
 * counts in one transaction, so a merge repeated after a restore finds its rows in place and
 * counts nothing twice. A key staged twice before a merge (a repeat that dedup passes on to be
 * merged) would make {@code ON CONFLICT} touch a row twice, so such a row waits in memory and is
 * upserted right after the merge. Rows PostgreSQL refuses for their data are found by {@link
 * PoisonRows}, halving the staged seq range as it halves a batch, and go to the rejects table in
 * the merge.
 */
public final class CopySink<R extends UpsertRow<R>> implements Sink<WriteBatch<R>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CopySink.class);

  private final List<TableDef<R>> tables;
  private final boolean[] copied;
  private final String schema;
  private final String rejectsTable;
  private final long runId;
  private final String job;
  private final PgConnectionProvider connections;
  private final int batchRows;

  /**
   * Keys a writer tracks for COPY straight into the tables: 16 to 32 bytes of heap each, so at
   * most 128 MB a writer; a larger load merges the rest.
   */
  static final int MAX_GIVEN = 1 << 22;

  /** Refused batches after which a writer stops trying COPY straight into the tables. */
  static final int TARGET_FAILURES = 3;

  /** Batches staged before a merge comes without waiting for the checkpoint. */
  static final int MERGE_BATCHES = 10;

  /**
   * @param tables the job's tables, parents first
   * @param copied for each table whether it takes the COPY path; a copied table's children must
   *     be copied too, so that no row is written before its staged parent is merged
   * @param batchRows most rows per upsert statement of the rows that wait for a merge
   */
  public CopySink(
      List<TableDef<R>> tables,
      boolean[] copied,
      String schema,
      String rejectsTable,
      long runId,
      String job,
      PgConnectionProvider connections,
      int batchRows) {
    this.tables = List.copyOf(tables);
    this.copied = copied.clone();
    this.schema = schema;
    this.rejectsTable = rejectsTable;
    this.runId = runId;
    this.job = job;
    this.connections = connections;
    this.batchRows = batchRows;
    for (int i = 0; i < tables.size(); i++) {
      String parent = tables.get(i).parent();
      for (int p = 0; p < i && parent != null; p++) {
        if (tables.get(p).table().equals(parent) && copied[p] && !copied[i]) {
          throw new IllegalArgumentException(
              "table " + tables.get(i).table() + " must take the COPY path with its parent " + parent);
        }
      }
    }
  }

  @Override
  public SinkWriter<WriteBatch<R>> createWriter(WriterInitContext context) throws IOException {
    SinkMetrics metrics = SinkMetrics.register(context.metricGroup(), connections);
    try {
      // Only the job's first attempt, started from nothing, may COPY straight into a table: a
      // replay after a failover or a restore finds rows of its own there, which only the merge
      // takes without a conflict.
      boolean firstAttempt =
          context.getTaskInfo().getAttemptNumber() == 0 && context.getRestoredCheckpointId().isEmpty();
      return new Writer<>(this, metrics, firstAttempt);
    } catch (SQLException | ClassNotFoundException e) {
      connections.closeConnection();
      throw new IOException("Cannot open the COPY writer's connection: " + e.getMessage(), e);
    }
  }

  /** One subtask's writer: its connection, staging tables and what is staged since the merge. */
  static final class Writer<R extends UpsertRow<R>> implements SinkWriter<WriteBatch<R>> {
    private final CopySink<R> sink;
    private final SinkMetrics metrics;
    private final Connection c;
    /** Positions (in the job's list) of the copied tables. */
    private final int[] copiedIdx;
    private final List<TableDef<R>> copiedTables;
    private final UpsertStatement<R> direct;
    private final PreparedStatement directPs;
    private final String mergeSql;
    private final boolean mergeCounts;
    private final LongSet staged = new LongSet();
    /** Rows of keys already staged, by key, in arrival order: written after the merge. */
    private final java.util.LinkedHashMap<String, R> later = new java.util.LinkedHashMap<>();
    /** The upsert statement of the copied tables, for {@link #later} rows. */
    private final UpsertStatement<R> repeats;
    /** The COPY statement of each copied table's staging table. */
    private final String[] copySql;
    /** Position among the copied tables of each of the job's tables, -1 for one not copied. */
    private final int[] copiedPos;
    /**
     * Whether each copied table takes first writes by COPY straight into it (see {@link
     * #copyIntoTargets}); turned off for good once {@value #TARGET_FAILURES} batches failed.
     */
    private final boolean[] intoTarget;
    /** The COPY statement into each copied table itself (text format, run stamps included). */
    private final String[] targetSql;
    /** The counts row of a table without run stamps, written with its rows COPYed straight in. */
    private final String countsSql;
    private int targetFailures;
    /**
     * Hashes of the keys this writer was given for tables it COPYs into straight: only a key's
     * first row may go there, later ones merge with it (a row type need not mark its repeats). A
     * collision only sends a first row the merge's way.
     */
    private final LongSet given = new LongSet();

    private final CopyBuffer buffer = new CopyBuffer(1 << 16);
    private long nextSeq;

    Writer(CopySink<R> sink, SinkMetrics metrics, boolean firstAttempt)
        throws SQLException, ClassNotFoundException {
      this.sink = sink;
      this.metrics = metrics;
      List<Integer> cp = new ArrayList<>();
      List<Integer> dp = new ArrayList<>();
      for (int i = 0; i < sink.tables.size(); i++) {
        (sink.copied[i] ? cp : dp).add(i);
      }
      copiedIdx = cp.stream().mapToInt(Integer::intValue).toArray();
      copiedTables = cp.stream().map(sink.tables::get).toList();
      direct =
          new UpsertStatement<>(
              dp.stream().map(sink.tables::get).toList(),
              dp.stream().mapToInt(Integer::intValue).toArray(),
              sink.schema,
              sink.rejectsTable,
              sink.runId,
              sink.job);
      // Staging tables are numbered by position among the copied tables, as WriteSql numbers them.
      mergeSql = WriteSql.statement(copiedTables, sink.schema, sink.rejectsTable, true);
      mergeCounts = WriteSql.counts(copiedTables);
      copySql = new String[copiedIdx.length];
      for (int k = 0; k < copiedIdx.length; k++) {
        copySql[k] =
            "COPY "
                + WriteSql.stageTable(k)
                + " ("
                + copiedTables.get(k).writtenColumns().stream()
                    .map(col -> Sql.ident(col.name()))
                    .collect(Collectors.joining(", "))
                + ", "
                + String.join(", ", WriteSql.SEQ, WriteSql.REPEAT, WriteSql.FILE, WriteSql.LINE)
                + ") FROM STDIN (FORMAT binary)";
      }
      c = sink.connections.getOrEstablishConnection();
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        // Staged rows stay in the session's memory up to this (the default is 8 MB, less than
        // one merge of wide rows); only allowed before the session's first temporary table.
        st.execute("SET temp_buffers = '256MB'");
        for (int k = 0; k < copiedIdx.length; k++) {
          st.execute(WriteSql.stageTableSql(copiedTables.get(k), k));
          // A session the provider kept across a restart may still hold rows of the failed try.
          st.execute("TRUNCATE " + WriteSql.stageTable(k));
        }
      }
      directPs = c.prepareStatement(direct.query());
      countsSql =
          "INSERT INTO "
              + Sql.qualified(sink.schema, WriteSql.COUNTS_TABLE)
              + " (run_id, table_name, inserted, updated) VALUES (?, ?, ?, 0)";
      copiedPos = new int[sink.tables.size()];
      java.util.Arrays.fill(copiedPos, -1);
      intoTarget = new boolean[copiedIdx.length];
      targetSql = new String[copiedIdx.length];
      for (int k = 0; k < copiedIdx.length; k++) {
        copiedPos[copiedIdx[k]] = k;
        TableDef<R> t = copiedTables.get(k);
        List<String> cols = new ArrayList<>();
        t.writtenColumns().forEach(col -> cols.add(Sql.ident(col.name())));
        if (t.stamped()) {
          cols.add(TableDef.CREATED_RUN);
          cols.add(TableDef.UPDATED_RUN);
        }
        targetSql[k] = "COPY " + t.qualifiedName() + " (" + String.join(", ", cols) + ") FROM STDIN";
        // Empty now, at the start of the job's first attempt: every row written is this run's.
        // A writer that finds the rows of a faster one here merely takes the staging path.
        intoTarget[k] = firstAttempt && t.trim() == null && WritePaths.empty(c, t);
      }
      repeats =
          new UpsertStatement<>(
              copiedTables, copiedIdx, sink.schema, sink.rejectsTable, sink.runId, sink.job);

    }

    @Override
    public void write(WriteBatch<R> batch, Context context) throws IOException {
      try {
        List<R> directRows = new ArrayList<>();
        List<R> stagedRows = new ArrayList<>();
        for (R row : batch.rows()) {
          (sink.copied[row.table()] ? stagedRows : directRows).add(row);
        }
        if (!directRows.isEmpty() || !batch.rejects().isEmpty()) {
          // Parents of staged rows may be among them: they go first.
          execute(direct, directPs, new WriteBatch<>(directRows, batch.rejects()));
        }
        stage(stagedRows);
      } catch (SQLException e) {
        throw new IOException("Writing a batch failed: " + e.getMessage(), e);
      }
    }

    /** Runs {@code st} for {@code batch}; refused rows are split out on a second try. */
    private void execute(UpsertStatement<R> st, PreparedStatement ps, WriteBatch<R> batch)
        throws SQLException {
      long start = System.nanoTime();
      st.statement(ps, batch);
      try {
        ps.execute();
      } catch (SQLException e) {
        if (!PoisonRows.isDataError(e)) {
          throw e;
        }
        // The same batch again: the statement now leaves out the rows PostgreSQL refuses.
        st.statement(ps, batch);
        ps.execute();
      }
      metrics.written(batch.size(), System.nanoTime() - start);
    }

    /**
     * Stages rows by COPY. A key already staged since the last merge (a repeat that dedup passes
     * on to be merged) cannot be staged again, as one {@code ON CONFLICT} statement may touch a
     * row only once: it waits in memory, merged with its own later repeats, and is upserted right
     * after the staged rows are merged. Repeats are few, so that stays small; past a batch of
     * them the merge comes early.
     */
    private void stage(List<R> rows) throws SQLException, IOException {
      List<R> first = new ArrayList<>();
      List<R> others = new ArrayList<>(rows.size());
      for (R row : rows) {
        boolean straight =
            intoTarget[copiedPos[row.table()]] && given.add(hash(row.key())) && !row.repeat();
        (straight ? first : others).add(row);
      }
      if (given.size() > MAX_GIVEN) {
        // Past this many keys the set costs more heap than the merge costs PostgreSQL.
        java.util.Arrays.fill(intoTarget, false);
      }
      if (!first.isEmpty() && !copyIntoTargets(first)) {
        // Refused as a whole (a cast, a check, a missing parent): the merge finds the rows.
        first.addAll(others);
        others = first;
      }
      List<R> fresh = new ArrayList<>(others.size());
      for (R row : others) {
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
      if (later.size() >= sink.batchRows || nextSeq >= (long) MERGE_BATCHES * sink.batchRows) {
        merge();
      }
    }

    /**
     * Writes first writes of keys by COPY straight into their tables, in one transaction with
     * their counts; false (nothing written) when PostgreSQL refuses a value or a key, so the rows
     * take the staging path, where the merge finds the refused ones.
     *
     * <p>Why: the merge reads staged text back, casts it and probes the key of every row, which
     * costs PostgreSQL about twice a COPY of the same rows; into a table that was empty when the
     * job's first attempt started, a key written for the first time has nothing to merge with.
     * Only that attempt does it: after a failover or a restore, rows written since the last
     * checkpoint come again, and only the merge's {@code ON CONFLICT} takes them in place. Keys
     * written before (repeats) still take the merge, which combines them with the row there.
     */
    private boolean copyIntoTargets(List<R> rows) throws SQLException, IOException {
      long start = System.nanoTime();
      List<List<R>> byTable = byTable(rows);
      String run = Long.toString(sink.runId);
      c.setAutoCommit(false);
      try {
        // Parents first: the job's table order, which the copied tables keep.
        for (int k = 0; k < copiedIdx.length; k++) {
          List<R> part = byTable.get(k);
          if (part.isEmpty()) {
            continue;
          }
          TableDef<R> t = copiedTables.get(k);
          List<Column<R>> cols = t.writtenColumns();
          buffer.clear();
          for (R row : part) {
            boolean firstField = true;
            for (Column<R> col : cols) {
              Object v = col.getter().apply(row);
              buffer.textField(v == null ? null : v.toString(), firstField);
              firstField = false;
            }
            if (t.stamped()) {
              buffer.textField(run, false);
              buffer.textField(run, false);
            }
            buffer.endLine();
          }
          copyIn(targetSql[k]);
          if (!t.stamped()) {
            try (PreparedStatement ps = c.prepareStatement(countsSql)) {
              ps.setLong(1, sink.runId);
              ps.setString(2, t.displayName());
              ps.setLong(3, part.size());
              ps.execute();
            }
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (!PoisonRows.isDataError(e)) {
          throw e;
        }
        if (++targetFailures >= TARGET_FAILURES) {
          java.util.Arrays.fill(intoTarget, false);
          LOG.info(
              "COPY straight into the tables refused {} times (last: {}); the staging path takes the rest",
              targetFailures,
              e.getMessage());
        }
        return false;
      } finally {
        c.setAutoCommit(true);
      }
      metrics.written(rows.size(), System.nanoTime() - start);
      return true;
    }

    /** {@code rows} by copied table, in the copied tables' order. */
    private List<List<R>> byTable(List<R> rows) {
      List<List<R>> byTable = new ArrayList<>();
      for (int k = 0; k < copiedIdx.length; k++) {
        byTable.add(new ArrayList<>());
      }
      for (R row : rows) {
        byTable.get(copiedPos[row.table()]).add(row);
      }
      return byTable;
    }

    /** Sends what {@link #buffer} holds as the data of {@code sql}, a {@code COPY … FROM STDIN}. */
    private void copyIn(String sql) throws SQLException {
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        in.writeToCopy(buffer.array(), 0, buffer.size());
        in.endCopy();
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    }

    /**
     * One binary COPY per copied table that has rows among {@code rows}. Every staged column is
     * text and the codecs refuse NUL bytes, so COPY has no value to refuse: the casts, checks and
     * keys that can refuse a row all run in the merge.
     */
    private void copy(List<R> rows) throws SQLException, IOException {
      if (rows.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      List<List<R>> byTable = byTable(rows);
      for (int k = 0; k < copiedIdx.length; k++) {
        if (byTable.get(k).isEmpty()) {
          continue;
        }
        List<Column<R>> cols = copiedTables.get(k).writtenColumns();
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
        copyIn(copySql[k]);
      }
      metrics.written(rows.size(), System.nanoTime() - start);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      try {
        merge();
      } catch (SQLException e) {
        throw new IOException("Merging the staged rows failed: " + e.getMessage(), e);
      }
    }

    /** Merges everything staged into the targets in one statement, then empties the staging. */
    private void merge() throws SQLException {
      if (nextSeq == 0 && later.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      List<Reject> rejects = List.of();
      long[] refused = new long[0];
      try (PreparedStatement ps = c.prepareStatement(mergeSql)) {
        try {
          bindMerge(ps, 0, nextSeq, refused, rejects);
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
                    bindMerge(part, seqs.get(0), seqs.get(seqs.size() - 1) + 1, new long[0], List.of());
                    part.execute();
                  });
          refused = found.stream().mapToLong(PoisonRows.Refused::row).toArray();
          rejects = rejectsOf(found);
          bindMerge(ps, 0, nextSeq, refused, rejects);
          ps.execute();
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute(
            "TRUNCATE "
                + java.util.stream.IntStream.range(0, copiedIdx.length)
                    .mapToObj(WriteSql::stageTable)
                    .collect(Collectors.joining(", ")));
      }
      metrics.written((int) Math.min(Integer.MAX_VALUE, nextSeq), System.nanoTime() - start);
      nextSeq = 0;
      staged.clear();
      if (!later.isEmpty()) {
        List<R> rows = new ArrayList<>(later.values());
        later.clear();
        try (PreparedStatement ps = c.prepareStatement(repeats.query())) {
          for (int from = 0; from < rows.size(); from += sink.batchRows) {
            List<R> part = rows.subList(from, Math.min(rows.size(), from + sink.batchRows));
            execute(repeats, ps, new WriteBatch<>(part, List.of()));
          }
        }
      }
    }

    /** The refused rows as rejects: their origin, the reason, their values read back. */
    private List<Reject> rejectsOf(List<PoisonRows.Refused<Long>> found) throws SQLException {
      List<Reject> out = new ArrayList<>();
      for (PoisonRows.Refused<Long> f : found) {
        long seq = f.row();
        for (int k = 0; k < copiedIdx.length; k++) {
          TableDef<R> t = copiedTables.get(k);
          List<Column<R>> cols = t.writtenColumns();
          String select =
              "SELECT "
                  + WriteSql.FILE
                  + ", "
                  + WriteSql.LINE
                  + ", "
                  + cols.stream().map(col -> Sql.ident(col.name())).collect(Collectors.joining(", "))
                  + " FROM "
                  + WriteSql.stageTable(k)
                  + " WHERE "
                  + WriteSql.SEQ
                  + " = ?";
          try (PreparedStatement q = c.prepareStatement(select)) {
            q.setLong(1, seq);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                StringBuilder raw = new StringBuilder();
                for (int i = 0; i < cols.size(); i++) {
                  raw.append(i == 0 ? "" : ", ").append(cols.get(i).name()).append('=').append(rs.getString(3 + i));
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

    private void bindMerge(PreparedStatement ps, long lo, long hi, long[] refused, List<Reject> rejects)
        throws SQLException {
      Long[] excluded = java.util.Arrays.stream(refused).boxed().toArray(Long[]::new);
      int p = UpsertStatement.bindRejects(ps, sink.runId, sink.job, rejects);
      for (TableDef<R> t : copiedTables) {
        if (t.stamped()) {
          ps.setLong(p++, sink.runId);
          ps.setLong(p++, sink.runId);
        }
        int parts = WriteSql.split(t) ? 2 : 1;
        for (int part = 0; part < parts; part++) {
          ps.setLong(p++, lo);
          ps.setLong(p++, hi);
          ps.setArray(p++, c.createArrayOf("int8", excluded));
        }
      }
      if (mergeCounts) {
        ps.setLong(p, sink.runId);
      }
    }

    @Override
    public void close() {
      try {
        directPs.close();
      } catch (Throwable t) {
        LOG.debug("closing the COPY writer's statement: {}", t.getMessage());
      }
      // Never throws: close runs inside Flink's failure handling, where a throw is fatal.
      sink.connections.closeConnection();
    }

    /** 64-bit FNV-1a of a key: equal keys collide always, others about never (then: one early merge). */
    static long hash(String key) {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < key.length(); i++) {
        h ^= key.charAt(i);
        h *= 0x100000001b3L;
      }
      return h;
    }
  }

  /** An open-addressing set of longs, for the keys staged since the last merge. */
  static final class LongSet {
    private long[] slots = new long[1 << 12];
    private boolean hasZero;
    private int size;

    /** Adds {@code v}; false when it was there already. */
    boolean add(long v) {
      if (v == 0) {
        boolean added = !hasZero;
        hasZero = true;
        return added;
      }
      if ((size + 1) * 2 > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      int i = (int) (mix(v) & mask);
      while (slots[i] != 0) {
        if (slots[i] == v) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = v;
      size++;
      return true;
    }

    int size() {
      return size + (hasZero ? 1 : 0);
    }

    void clear() {
      if (slots.length > 1 << 16) {
        slots = new long[1 << 12];
      } else {
        java.util.Arrays.fill(slots, 0);
      }
      hasZero = false;
      size = 0;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      size = 0;
      for (long v : old) {
        if (v != 0) {
          add(v);
        }
      }
    }

    private static long mix(long v) {
      v ^= v >>> 33;
      v *= 0xff51afd7ed558ccdL;
      v ^= v >>> 33;
      return v;
    }
  }
}
