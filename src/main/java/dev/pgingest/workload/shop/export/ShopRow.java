package dev.pgingest.workload.shop.export;

import java.io.Serializable;
import java.util.Map;

/**
 * One row of a shop export as the codec hands it on: which export it came from and its values
 * grouped by the item each belongs to, under the field names of {@link ShopFields}.
 *
 * <p>Rows of the products and orders exports arrive forward-filled: a continuation row carries its
 * product's (order's) fields copied from that product's (order's) first row.
 *
 * @param export the export the file is, told by its header row
 * @param head the product, inventory level, order or bundle fields; never null
 * @param variant the variant fields of a products row that has a variant, else null
 * @param image the image fields of a products row that has an image, else null
 * @param line the line item fields of an orders row, else null
 * @param extra columns the model does not name (per-market prices, metafields …) by header name,
 *     values as given; empty when there are none
 * @param first whether the row starts its product (order) and gives its fields: the one row the
 *     product (order) is made of; false for continuation rows and for a handle (name) that comes
 *     back later without fields; true for inventory and bundle rows
 */
public record ShopRow(
    ShopExport export,
    Map<String, String> head,
    Map<String, String> variant,
    Map<String, String> image,
    Map<String, String> line,
    Map<String, String> extra,
    boolean first)
    implements Serializable {}
