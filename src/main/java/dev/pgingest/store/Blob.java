package dev.pgingest.store;

import java.io.Serializable;

/** An object to store: head bytes then a spooled local file, under a content key. */
public record Blob(String key, byte[] head, String spool, long size) implements Serializable {}
