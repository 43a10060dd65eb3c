package dev.pgingest.sink;

import com.carrotsearch.hppc.LongHashSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPY of a key's first row straight into a copied table that was empty when the job's first
 * attempt started, in one transaction with its counts.
 *
 * <p>Why: the merge reads staged text back, casts it and probes the key of every row, which costs
 * PostgreSQL about twice a COPY of the same rows; into a table that was empty when the job's first
 * attempt started, a key written for the first time has nothing to merge with. Only that attempt
 * does it: after a failover or a restore, rows written since the last checkpoint come again, and
 * only the merge's {@code ON CONFLICT} takes them in place. Keys written before (repeats) still
 * take the merge, which combines them with the row there.
 */
final class StraightCopy<R extends UpsertRow<R>> {
  private static final Logger LOG = LoggerFactory.getLogger(StraightCopy.class);

  /**
   * Keys a writer tracks for COPY straight into the tables: 16 to 32 bytes of heap each, so at most
   * 128 MB a writer; a larger load merges the rest.
   */
  static final int MAX_GIVEN = 1 << 22;

  /** Refused batches after which a writer stops trying COPY straight into the tables. */
  static final int TARGET_FAILURES = 3;

  private final Connection c;
  private final CopiedTables<R> copied;
  private final long runId;
  private final SinkMetrics metrics;

  /** Whether each copied table still takes first rows straight in. */
  private final boolean[] open;

  /** The COPY statement into each copied table itself (text format, run stamps included). */
  private final String[] copySql;

  /** The counts row of a table without run stamps, written with its rows. */
  private final String countsSql;

  /**
   * Hashes of the keys this writer was given for tables it COPYs into straight: only a key's first
   * row may go there, later ones merge with it (a row type need not mark its repeats). A collision
   * only sends a first row the merge's way.
   */
  private final LongHashSet given = new LongHashSet();

  private final CopyBuffer buffer = new CopyBuffer(1 << 16);
  private int failures;

  /**
   * @param firstAttempt whether this is the job's first attempt, started from nothing; otherwise no
   *     row goes straight in
   */
  StraightCopy(
      Connection c,
      CopiedTables<R> copied,
      String schema,
      long runId,
      SinkMetrics metrics,
      boolean firstAttempt)
      throws SQLException {
    this.c = c;
    this.copied = copied;
    this.runId = runId;
    this.metrics = metrics;
    countsSql =
        "INSERT INTO "
            + SqlNames.qualified(schema, WriteSql.COUNTS_TABLE)
            + " (run_id, table_name, inserted, updated) VALUES (?, ?, ?, 0)";
    open = new boolean[copied.size()];
    copySql = new String[copied.size()];
    for (int k = 0; k < copied.size(); k++) {
      TableDef<R> t = copied.tables.get(k);
      List<String> cols = new ArrayList<>();
      t.writtenColumns().forEach(col -> cols.add(SqlNames.ident(col.name())));
      if (t.stamped()) {
        cols.add(TableDef.CREATED_RUN);
        cols.add(TableDef.UPDATED_RUN);
      }
      copySql[k] = "COPY " + t.qualifiedName() + " (" + String.join(", ", cols) + ") FROM STDIN";
      // Empty now, at the start of the job's first attempt: every row written is this run's.
      // A writer that finds the rows of a faster one here merely takes the staging path.
      open[k] = firstAttempt && t.trim() == null && WritePaths.empty(c, t);
    }
  }

  /** Whether {@code row} may go straight in: its table is open and its key new to this writer. */
  boolean takes(R row) {
    return open[copied.position(row)] && given.add(StagedMerge.hash(row.key())) && !row.repeat();
  }

  /**
   * Writes {@code rows} (each taken by {@link #takes}) straight into their tables; false, with
   * nothing written, when PostgreSQL refuses a value or a key, so the rows take the staging path,
   * where the merge finds the refused ones.
   */
  boolean write(List<R> rows) throws SQLException {
    if (given.size() > MAX_GIVEN) {
      // Past this many keys the set costs more heap than the merge costs PostgreSQL.
      Arrays.fill(open, false);
    }
    if (rows.isEmpty()) {
      return true;
    }
    long start = System.nanoTime();
    List<List<R>> byTable = copied.split(rows);
    String run = Long.toString(runId);
    c.setAutoCommit(false);
    try {
      for (int k = 0; k < copied.size(); k++) {
        List<R> part = byTable.get(k);
        if (part.isEmpty()) {
          continue;
        }
        TableDef<R> t = copied.tables.get(k);
        encode(t, part, run);
        buffer.copyTo(c, copySql[k]);
        if (!t.stamped()) {
          try (PreparedStatement ps = c.prepareStatement(countsSql)) {
            ps.setLong(1, runId);
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
      if (++failures >= TARGET_FAILURES) {
        Arrays.fill(open, false);
        LOG.info(
            "COPY straight into the tables refused {} times (last: {}); the staging path takes the rest",
            failures,
            e.getMessage());
      }
      return false;
    } finally {
      c.setAutoCommit(true);
    }
    metrics.written(rows.size(), System.nanoTime() - start);
    return true;
  }

  /** The rows of one table as COPY text lines, with the run stamps when the table keeps them. */
  private void encode(TableDef<R> t, List<R> rows, String run) {
    List<Column<R>> cols = t.writtenColumns();
    buffer.clear();
    for (R row : rows) {
      boolean first = true;
      for (Column<R> col : cols) {
        Object v = col.getter().apply(row);
        buffer.textField(v == null ? null : v.toString(), first);
        first = false;
      }
      if (t.stamped()) {
        buffer.textField(run, false);
        buffer.textField(run, false);
      }
      buffer.endLine();
    }
  }
}
