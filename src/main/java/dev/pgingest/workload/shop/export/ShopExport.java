package dev.pgingest.workload.shop.export;

/**
 * The kinds of shop export files, each told by its header row (or, for bundles, its first line).
 */
public enum ShopExport {
  /** Shopify products export: one row per variant or extra image, product fields on the first. */
  PRODUCTS,
  /** Shopify inventory export: one row per variant and location. */
  INVENTORY,
  /** Shopify orders export: one row per line item, order fields on the order's first row. */
  ORDERS,
  /** The recommender's bundle recommendations, one JSON object per line. */
  BUNDLES
}
