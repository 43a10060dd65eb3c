package dev.pgingest.graph;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.RecordRedecoder;
import dev.pgingest.store.ObjectSource;
import dev.pgingest.store.StoredObject;
import java.io.IOException;
import java.util.List;

/**
 * A pipeline's objects per decoded item: its record's, none for rejects and file ends. A record
 * whose spool a failover lost is decoded again from its file and line.
 */
final class DecodedObjects<T> implements ObjectSource<Decoded<T>> {
  private final ObjectSource<T> objects;
  private final CodecFactory<T> codecs;

  DecodedObjects(ObjectSource<T> objects, CodecFactory<T> codecs) {
    this.objects = objects;
    this.codecs = codecs;
  }

  @Override
  public List<StoredObject> objects(Decoded<T> item) throws IOException {
    return item.value() == null ? List.of() : objects.objects(item.value());
  }

  @Override
  public Decoded<T> recover(Decoded<T> item) throws IOException {
    T again = RecordRedecoder.at(codecs, item.file(), item.line());
    return new Decoded<>(item.file(), item.line(), again, null, null, item.inputBytes(), null);
  }
}
