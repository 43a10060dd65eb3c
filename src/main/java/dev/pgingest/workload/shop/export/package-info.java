/**
 * The shop workload's export codec: Shopify's products, inventory and orders CSV exports (<a
 * href="https://help.shopify.com/en/manual/products/import-export/using-csv">products CSV</a>, <a
 * href="https://help.shopify.com/en/manual/products/inventory/inventory-csv">inventory CSV</a>, <a
 * href="https://help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders">orders
 * export</a>) and the recommender's bundle recommendations as JSON Lines, decoded into {@link
 * dev.pgingest.workload.shop.export.ShopRow}s.
 *
 * <p>How the files are read:
 *
 * <ul>
 *   <li>The first non-blank line tells the export, never the file name: one starting with an
 *       opening brace is a bundles file; else it is a CSV header row, whose names (trimmed, any
 *       case) must hold the columns of one of the three CSV exports ({@link
 *       dev.pgingest.workload.shop.export.ShopHeader}), else the whole file is rejected once, at
 *       the header, and yields nothing more. So is a header with an unnamed column or a name given
 *       twice (in any case), as no value could be trusted to its name.
 *   <li>Each export's rows are read by its own class: {@link
 *       dev.pgingest.workload.shop.export.ProductRows}, {@link
 *       dev.pgingest.workload.shop.export.InventoryRows}, {@link
 *       dev.pgingest.workload.shop.export.OrderRows}, {@link
 *       dev.pgingest.workload.shop.export.BundleLines}.
 *   <li>Values are kept as given (no trimming, no number or date parsing: a barcode {@code
 *       3.65275E+11} stays so, the database casts money and timestamps); an empty value, quoted
 *       ({@code ""}) or not, is absent (null). A row with another number of fields than the header
 *       is rejected.
 *   <li>The maps of a row always hold every name of their {@link
 *       dev.pgingest.workload.shop.export.ShopFields} list, null where the file gives nothing, so
 *       every row has one shape. Columns no list names go into {@code extra} under their header
 *       name when not empty; the known ones never do, not even the product (order) fields Shopify
 *       leaves empty on continuation rows.
 *   <li>Rows of a product (an order) are the consecutive rows of one Handle (Name). The first one's
 *       product (order) fields are the {@code head} of all of them; what a later row has in those
 *       columns is ignored ({@link dev.pgingest.workload.shop.export.GroupedRows}).
 *   <li>Products: a product whose Option1 Name is {@code Title} and first Option1 Value {@code
 *       Default Title} has no options: both are null and the variant key is the handle; otherwise
 *       the key is the handle and the option values joined with {@code /}. Inventory rows build it
 *       the same way, so the two exports join. A row without a Handle is rejected.
 *   <li>Inventory: a row without a Handle or a Location is rejected, as a level belongs to a
 *       variant at a location. Orders: a row without a Name is rejected.
 * </ul>
 *
 * <p>Each row is numbered by the line its CSV record starts on.
 */
package dev.pgingest.workload.shop.export;
