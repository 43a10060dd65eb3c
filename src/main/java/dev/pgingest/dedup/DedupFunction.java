package dev.pgingest.dedup;

import dev.pgingest.metrics.CountsAtEnd;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.metrics.ExactCounter;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.UpsertRow;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed dedup: drops a key's repeats as its rows' {@link UpsertRow.Repeats} says and passes on the
 * rest to be merged; rejects pass straight through.
 *
 * <p>State per key is small, not the row: the fingerprints of the distinct records seen (usually
 * one), or for latest-wins rows the newest position in file order and for first-wins rows the
 * earliest (a record from an earlier position met later passes on as a repeat that replaces it).
 * Merging happens in the batcher and in the SQL, so state stays small for millions of keys. The
 * stream is keyed by a row's {@linkplain UpsertRow#route() route}; where that is not the row's own
 * key (a child routed by its parent), state is a map by row key within the route. Keys are held as
 * their {@link RouteKey} hashes, not their text.
 *
 * <p>Rows of {@linkplain dev.pgingest.sink.TableDef#versioned versioned} tables (a parent whose
 * child is trimmed by its count, and that child) also keep per route the newest position in file
 * order their rows came from: a row from an older position is a row of an older version of the
 * parent, dropped whatever its own key, so that a child row the newer version no longer has cannot
 * outlive it, whichever version arrives first.
 */
public final class DedupFunction<R extends UpsertRow<R>>
    extends KeyedProcessFunction<RouteKey, RowOrReject<R>, RowOrReject<R>>
    implements CheckpointedFunction, CountsAtEnd {

  /** Accumulator and metric names. */
  public static final String DUPLICATES = "duplicates";

  public static final String KEYS = "keys";

  /** Per-table accumulator names: {@code duplicates.<table index>}, {@code keys.<table index>}. */
  public static String perTable(String name, int table) {
    return name + "." + table;
  }

  private final int tables;

  /** Per table index whether its rows are versioned by their route; null for none. */
  private final boolean[] versioned;

  private transient ValueState<String> version;
  private transient ValueState<long[]> seen;
  private transient MapState<RouteKey, long[]> seenByKey;
  private transient ValueState<String> latest;
  private transient MapState<RouteKey, String> latestByKey;
  private transient ExactCounter duplicates;
  private transient ExactCounter keys;
  private transient ExactCounter[] tableDuplicates;
  private transient ExactCounter[] tableKeys;

  /**
   * @param tables how many tables the rows go to (per-table counts)
   */
  public DedupFunction(int tables) {
    this(tables, null);
  }

  /**
   * @param tables how many tables the rows go to (per-table counts)
   * @param versioned per table whether its rows are versioned by their route ({@link
   *     dev.pgingest.sink.TableDef#versioned}); null for none
   */
  public DedupFunction(int tables, boolean[] versioned) {
    this.tables = tables;
    this.versioned = versioned == null ? null : versioned.clone();
  }

  public DedupFunction() {
    this(1);
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    duplicates = new ExactCounter(DUPLICATES);
    keys = new ExactCounter(KEYS);
    duplicates.initialize(context);
    keys.initialize(context);
    tableDuplicates = new ExactCounter[tables];
    tableKeys = new ExactCounter[tables];
    if (tables > 1) {
      for (int t = 0; t < tables; t++) {
        tableDuplicates[t] = new ExactCounter(perTable(DUPLICATES, t));
        tableKeys[t] = new ExactCounter(perTable(KEYS, t));
        tableDuplicates[t].initialize(context);
        tableKeys[t].initialize(context);
      }
    }
  }

  @Override
  public void open(OpenContext openContext) {
    seen =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "fingerprints", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    seenByKey =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "fingerprints-by-key",
                    RouteKey.TYPE,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest", Utf8Text.TYPE));
    version = getRuntimeContext().getState(new ValueStateDescriptor<>("version", Utf8Text.TYPE));
    latestByKey =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("latest-by-key", RouteKey.TYPE, Utf8Text.TYPE));
    duplicates.open(getRuntimeContext());
    keys.open(getRuntimeContext());
    if (tables > 1) {
      for (int t = 0; t < tables; t++) {
        tableDuplicates[t].open(getRuntimeContext());
        tableKeys[t].open(getRuntimeContext());
      }
    }
  }

  @Override
  public void processElement(RowOrReject<R> in, Context ctx, Collector<RowOrReject<R>> out)
      throws Exception {
    R row = in.row();
    if (row == null) {
      // A reject on its way to the sink: nothing to dedup, no state touched.
      out.collect(in);
      return;
    }
    if (versioned != null && versioned[row.table()] && olderVersion(row)) {
      duplicate(row);
      return;
    }
    if (row.repeats() == UpsertRow.Repeats.NONE) {
      newKey(row);
      out.collect(in);
      return;
    }
    boolean own = row.route().equals(row.key());
    RouteKey rowKey = own ? null : RouteKey.of(row.key());
    if (row.repeats() == UpsertRow.Repeats.LATEST_WINS
        || row.repeats() == UpsertRow.Repeats.FIRST_WINS) {
      // The state holds the position that wins so far: the newest, or for first-wins the earliest,
      // so the same record wins whichever reader reaches the key first.
      boolean earliest = row.repeats() == UpsertRow.Repeats.FIRST_WINS;
      String order = row.order();
      String before = own ? latest.value() : latestByKey.get(rowKey);
      if (before == null) {
        newKey(row);
      } else {
        duplicate(row);
        int c = order.compareTo(before);
        if (earliest ? c >= 0 : c < 0) {
          return;
        }
      }
      if (own) {
        latest.update(order);
      } else {
        latestByKey.put(rowKey, order);
      }
      out.collect(before == null ? in : RowOrReject.row(row.asRepeat()));
      return;
    }
    long fp = row.fingerprint();
    long[] fps = own ? seen.value() : seenByKey.get(rowKey);
    if (fps == null) {
      newKey(row);
      if (own) {
        seen.update(new long[] {fp});
      } else {
        seenByKey.put(rowKey, new long[] {fp});
      }
      out.collect(in);
      return;
    }
    duplicate(row);
    for (long f : fps) {
      if (f == fp) {
        return;
      }
    }
    long[] more = Arrays.copyOf(fps, fps.length + 1);
    more[fps.length] = fp;
    if (own) {
      seen.update(more);
    } else {
      seenByKey.put(rowKey, more);
    }
    out.collect(RowOrReject.row(row.asRepeat()));
  }

  /**
   * Whether the row comes from an older position in file order than its route's newest versioned
   * row; else its position becomes the route's newest if it is.
   */
  private boolean olderVersion(R row) throws Exception {
    String order = row.order();
    String newest = version.value();
    if (newest != null) {
      int c = order.compareTo(newest);
      if (c < 0) {
        return true;
      }
      if (c == 0) {
        return false;
      }
    }
    version.update(order);
    return false;
  }

  private void newKey(R row) {
    keys.add(1);
    if (tables > 1) {
      tableKeys[row.table()].add(1);
    }
  }

  /** Every record after a key's first counts as a duplicate merged into (or lost to) its row. */
  private void duplicate(R row) {
    duplicates.add(1);
    if (tables > 1) {
      tableDuplicates[row.table()].add(1);
    }
  }

  @Override
  public EndCounts countsAtEnd() {
    EndCounts end = EndCounts.of(Map.of());
    duplicates.addTo(end.counts());
    keys.addTo(end.counts());
    if (tables > 1) {
      for (int t = 0; t < tables; t++) {
        tableDuplicates[t].addTo(end.counts());
        tableKeys[t].addTo(end.counts());
      }
    }
    return end;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    duplicates.snapshot();
    keys.snapshot();
    if (tables > 1) {
      for (int t = 0; t < tables; t++) {
        tableDuplicates[t].snapshot();
        tableKeys[t].snapshot();
      }
    }
  }
}
