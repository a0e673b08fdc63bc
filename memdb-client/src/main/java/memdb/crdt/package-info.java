/**
 * Conflict-free replicated data types shared by the nodes and the client: the PN-counter behind MemDB's
 * distributed counters (DESIGN §6). Pure values: no I/O, no clocks.
 */
package memdb.crdt;
