/**
 * The order hosted records are read in, for pages, previews and exports: by the key's typed
 * values (`key_order`: 站序 2 before 10), then by the record key's text, which breaks a tie and
 * keeps every position distinct for keyset cursors. The index records_key_order_idx serves it
 * (migration 20261128090000_record_key_order).
 */
export function recordOrder(direction: 'ASC' | 'DESC' = 'ASC'): string {
  return `key_order ${direction}, record_key COLLATE "C" ${direction}`;
}
