package memdb.store;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import memdb.protocol.ErrorCode;

/**
 * The memory of a {@link Store}: entries ({@link EntryLayout}) back to back in large slabs, named by an int
 * address, {@code slabIndex << 15 | offset >>> 3} (17 bits of slab index: 32 GiB of 256 KiB slabs). Slab
 * index 0 is never used, so address 0 means "no entry".
 *
 * <p>Off the heap (issue 8: bytes per key and GC pauses): a slab is a direct {@link ByteBuffer}, allocated
 * when opened and freed the moment it is released (its cleaner run at once, not when a GC finds the buffer
 * unreachable), so the node's RSS follows the data, the GC never copies or marks the data, and the heap
 * holds only the table and the requests in flight. Direct memory is bounded by the JVM's
 * {@code -XX:MaxDirectMemorySize} (by default as large as the max heap; max-memory's default is half of it):
 * a slab that cannot be had is refused with OUT_OF_MEMORY, leaving the store as it was.
 *
 * <p>Two kinds of slab. A shared slab (at most {@code slabBytes}, 256 KiB in production) takes entries of at most a quarter of it,
 * appended at the end of the one current slab; a full one is sealed and a new one opened. The first
 * shared slabs are small (4 KiB, doubling with the bytes held) so that a small store stays small. An
 * entry larger than a quarter of a slab gets a dedicated slab of exactly its size, released as soon as
 * the entry dies.
 *
 * <p>Accounting (shared slabs only): a slab's live bytes are the sizes of its entries that are not DEAD;
 * garbage is the bytes used (all of a sealed slab, the appended part of the current one) less the live
 * bytes: dead entries and the unused tails of sealed slabs. A sealed slab whose last entry dies is
 * released at once: to a pool of at most {@value #POOL_MAX} full-size slabs (reused by the next slab
 * opened), or to the GC. Which slab to compact and when is decided here ({@link #victim()},
 * {@link #garbageBytesLimit()}); moving the entries needs the table, so {@link Store} does it.
 * Not thread-safe: the core thread's.
 */
final class Slabs {
    static final int SLAB_BYTES_DEFAULT = 256 * 1024;
    /** The first shared slab's size (then doubling): a store of a few keys holds a few KiB. */
    static final int FIRST_SLAB_BYTES = 4 * 1024;
    /** The smallest slab size: header and key of the largest key (1,041 bytes) fit in a fresh slab. */
    static final int SLAB_BYTES_MIN = 2 * 1024;
    private static final int OFFSET_BITS = 15;
    private static final int SLAB_INDEX_MAX = (1 << 17) - 1;
    private static final int POOL_MAX = 2;
    /** The largest slab (a buffer's capacity is an int; kept a little under as the largest array was). */
    static final long ARRAY_BYTES_MAX = Integer.MAX_VALUE - 8;
    /** Frees a direct buffer now ({@code sun.misc.Unsafe.invokeCleaner}); null when the JVM does not allow it (then the GC frees it). */
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private final int slabBytes;
    private ByteBuffer[] slabs = new ByteBuffer[8];
    /** Shared slab: bytes appended (its end, once sealed); dedicated slab: -1. */
    private int[] used = new int[8];
    /** Shared slab: bytes of its entries that are not DEAD. */
    private int[] live = new int[8];
    private int slabCount = 1;
    private int[] freeIndexes = new int[8];
    private int freeIndexCount;
    private final ByteBuffer[] pool = new ByteBuffer[POOL_MAX];
    private int poolCount;
    private int current;
    private long sealedBytes;
    private long liveBytes;
    private long slabMemoryBytes;

    Slabs(int slabBytes) {
        if (slabBytes < SLAB_BYTES_MIN || slabBytes > SLAB_BYTES_DEFAULT || slabBytes % EntryLayout.ALIGNMENT != 0) {
            throw new IllegalArgumentException("slab bytes out of range: " + slabBytes);
        }
        this.slabBytes = slabBytes;
    }

    static int address(int index, int offset) {
        return index << OFFSET_BITS | offset >>> 3;
    }

    static int index(int address) {
        return address >>> OFFSET_BITS;
    }

    static int offset(int address) {
        return (address & ((1 << OFFSET_BITS) - 1)) << 3;
    }

    ByteBuffer slab(int address) {
        return slabs[index(address)];
    }

    /** Whether an entry of this aligned size goes into a slab of its own. */
    boolean isLarge(long alignedBytes) {
        return alignedBytes > slabBytes / 4;
    }

    boolean isDedicated(int address) {
        return used[index(address)] < 0;
    }

    /** The current slab, with at least {@code bytes} free at its end (a new one is opened if needed). */
    ByteBuffer currentWithRoom(int bytes) {
        if (current == 0 || used[current] + bytes > slabs[current].capacity()) open(bytes);
        return slabs[current];
    }

    /** Where the next entry of the current slab starts (call {@link #currentWithRoom} first). */
    int appendOffset() {
        return used[current];
    }

    /** Makes the {@code bytes} at the append offset an entry of the current slab: returns its address. */
    int append(int bytes) {
        int offset = used[current];
        used[current] = offset + bytes;
        live[current] += bytes;
        liveBytes += bytes;
        return address(current, offset);
    }

    /** A dedicated slab of {@code bytes} (the caller fills it): returns the address of its entry. */
    int allocateDedicated(int bytes) {
        ByteBuffer slab = allocate(bytes);
        int index = newIndex();
        slabs[index] = slab;
        used[index] = -1;
        slabMemoryBytes += bytes;
        return address(index, 0);
    }

    /** Marks the entry at {@code address} DEAD; releases its slab if that leaves a sealed or dedicated slab empty. */
    void kill(int address) {
        int index = index(address);
        if (used[index] < 0) {
            release(index);
            return;
        }
        ByteBuffer slab = slabs[index];
        int offset = offset(address);
        int bytes = EntryLayout.alignedBytes(slab, offset);
        EntryLayout.markDead(slab, offset);
        live[index] -= bytes;
        liveBytes -= bytes;
        if (live[index] == 0 && index != current) release(index);
    }

    /** Moves {@code bytes} of live entry from a slab being compacted to the current one's accounting. */
    void moved(int fromAddress, int bytes) {
        live[index(fromAddress)] -= bytes;
        liveBytes -= bytes;
    }

    /** Where a compaction stops walking slab {@code index}: its end. */
    int end(int index) {
        return used[index];
    }

    /** Releases a compacted (now empty) sealed slab. */
    void releaseCompacted(int index) {
        if (live[index] != 0) throw new IllegalStateException("slab " + index + " still holds " + live[index] + " live bytes");
        release(index);
    }

    /** Dead bytes and unused tails of the sealed slabs, and dead bytes of the current one. */
    long garbageBytes() {
        return usedBytes() - liveBytes;
    }

    /**
     * Compaction runs while garbage is above this: a quarter of the bytes the shared slabs use (all of a
     * sealed slab, the appended part of the current one). No floor of a few slabs: a small node's
     * max-memory can be smaller than two full slabs, and its deletes must free memory.
     */
    long garbageBytesLimit() {
        return usedBytes() / 4;
    }

    private long usedBytes() {
        return sealedBytes + (current == 0 ? 0 : used[current]);
    }

    int slabBytes() {
        return slabBytes;
    }

    /** The sealed shared slab with the most garbage (fewest live bytes for its size), or 0 if there is none. */
    int victim() {
        int best = 0;
        long bestGarbage = 0;
        for (int index = 1; index < slabCount; index++) {
            if (slabs[index] == null || used[index] < 0 || index == current) continue;
            long garbage = slabs[index].capacity() - live[index];
            if (garbage > bestGarbage) {
                best = index;
                bestGarbage = garbage;
            }
        }
        return best;
    }

    /** Bytes of every slab held (shared, dedicated, pooled; off the heap) and of this bookkeeping (on it). */
    long memoryBytes() {
        return slabMemoryBytes + EntryLayout.arrayHeapBytes(4L * slabs.length) * 3 + EntryLayout.arrayHeapBytes(4L * freeIndexes.length);
    }

    /** Frees the pooled slabs. */
    void trim() {
        for (int i = 0; i < poolCount; i++) {
            slabMemoryBytes -= pool[i].capacity();
            free(pool[i]);
            pool[i] = null;
        }
        poolCount = 0;
    }

    private void open(int bytes) {
        if (current != 0) {
            sealedBytes += slabs[current].capacity();
            int sealed = current;
            current = 0;
            if (live[sealed] == 0) release(sealed);
        }
        int capacity = nextCapacity(bytes);
        ByteBuffer slab;
        if (capacity == slabBytes && poolCount > 0) {
            slab = pool[--poolCount];
            pool[poolCount] = null;
        } else {
            slab = allocate(capacity);
            slabMemoryBytes += capacity;
        }
        int index = newIndex();
        slabs[index] = slab;
        used[index] = 0;
        live[index] = 0;
        current = index;
    }

    /** 4 KiB, then the shared bytes held rounded down to a power of two, at most a full slab; never less than {@code bytes}. */
    private int nextCapacity(int bytes) {
        long held = Math.max(FIRST_SLAB_BYTES, Long.highestOneBit(Math.max(1, sealedBytes)));
        return (int) Math.min(slabBytes, Math.max(held, bytes));
    }

    private void release(int index) {
        ByteBuffer slab = slabs[index];
        if (used[index] >= 0) sealedBytes -= slab.capacity();
        if (slab.capacity() == slabBytes && used[index] >= 0 && poolCount < POOL_MAX) {
            pool[poolCount++] = slab;
        } else {
            slabMemoryBytes -= slab.capacity();
            free(slab);
        }
        slabs[index] = null;
        used[index] = 0;
        live[index] = 0;
        if (freeIndexCount == freeIndexes.length) freeIndexes = Arrays.copyOf(freeIndexes, freeIndexCount * 2);
        freeIndexes[freeIndexCount++] = index;
    }

    private int newIndex() {
        if (freeIndexCount > 0) return freeIndexes[--freeIndexCount];
        if (slabCount > SLAB_INDEX_MAX) {
            throw new IllegalStateException("store is full: " + SLAB_INDEX_MAX + " slabs (" + (sealedBytes >> 20) + " MiB)");
        }
        if (slabCount == slabs.length) {
            int length = slabs.length * 2;
            slabs = Arrays.copyOf(slabs, length);
            used = Arrays.copyOf(used, length);
            live = Arrays.copyOf(live, length);
        }
        return slabCount++;
    }

    /** A zeroed direct slab in the entries' byte order, or OUT_OF_MEMORY when direct memory is exhausted. */
    private static ByteBuffer allocate(int bytes) {
        try {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw ErrorCode.OUT_OF_MEMORY.exception("no direct memory left for " + bytes + " more bytes of data ("
                    + e.getMessage() + "); raise -XX:MaxDirectMemorySize (or -Xmx) or lower max-memory");
        }
    }

    /** Frees a slab now; nothing of it may be read afterwards (every address into it is gone). */
    private static void free(ByteBuffer slab) {
        if (UNSAFE != null) UNSAFE.invokeCleaner(slab);
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
