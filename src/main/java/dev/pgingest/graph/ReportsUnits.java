package dev.pgingest.graph;

/**
 * A pipeline whose mappers tell the unit of progress each record belongs to ({@link
 * RowMapper#unit}), so its jobs may keep a {@code progress} status table.
 */
public interface ReportsUnits {}
