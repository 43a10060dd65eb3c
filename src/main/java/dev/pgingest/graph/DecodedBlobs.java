package dev.pgingest.graph;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.Redecode;
import dev.pgingest.store.Blob;
import dev.pgingest.store.BlobSource;
import java.io.IOException;
import java.util.List;

/**
 * A pipeline's objects per decoded item: its record's, none for rejects and file ends. A record
 * whose spool a failover lost is decoded again from its file and line.
 */
final class DecodedBlobs<T> implements BlobSource<Decoded<T>> {
  private final BlobSource<T> blobs;
  private final CodecFactory<T> codecs;

  DecodedBlobs(BlobSource<T> blobs, CodecFactory<T> codecs) {
    this.blobs = blobs;
    this.codecs = codecs;
  }

  @Override
  public List<Blob> blobs(Decoded<T> item) throws IOException {
    return item.value() == null ? List.of() : blobs.blobs(item.value());
  }

  @Override
  public Decoded<T> recover(Decoded<T> item) throws IOException {
    T again = Redecode.at(codecs, item.file(), item.line());
    return new Decoded<>(item.file(), item.line(), again, null, null, item.inputBytes(), null);
  }
}
