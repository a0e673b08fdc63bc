package memdb.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;

class HintStoreTest {
    static Hint hint(int peer, String key, long lamport, long storedMs) {
        return new Hint(peer, Key.of(key), Versioned.value(new Timestamp(lamport, 1), ("v" + lamport).getBytes()), storedMs);
    }

    @Test
    void aNewerVersionReplacesTheHintOfItsKeyAndAnOlderOneDoesNot() {
        HintStore store = new HintStore(10);
        assertEquals(HintStore.Added.NEW, store.add(hint(2, "a", 5, 0)));
        assertEquals(HintStore.Added.NEW, store.add(hint(2, "b", 6, 0)));
        assertEquals(HintStore.Added.HELD_NEWER, store.add(hint(2, "a", 4, 1)));
        assertEquals(HintStore.Added.HELD_NEWER, store.add(hint(2, "a", 5, 1)), "the same version twice is one hint");
        assertEquals(HintStore.Added.REPLACED_OLDER, store.add(hint(2, "a", 7, 2)));
        assertEquals(2, store.size());
        List<Hint> oldest = store.oldest(2, 10);
        assertEquals(List.of("b", "a"), oldest.stream().map(h -> h.key().toString()).toList(),
                "a replaced hint is the youngest now");
        assertEquals(7, oldest.get(1).version().timestamp().lamport());
    }

    @Test
    void eachPeerHoldsAtMostItsCapAndReplacingNeverCountsAgainstIt() {
        HintStore store = new HintStore(2);
        assertEquals(HintStore.Added.NEW, store.add(hint(2, "a", 1, 0)));
        assertEquals(HintStore.Added.NEW, store.add(hint(2, "b", 1, 0)));
        assertEquals(HintStore.Added.FULL, store.add(hint(2, "c", 1, 0)));
        assertEquals(HintStore.Added.REPLACED_OLDER, store.add(hint(2, "a", 2, 0)));
        assertEquals(HintStore.Added.NEW, store.add(hint(3, "c", 1, 0)), "another peer has its own cap");
        assertEquals(3, store.size());
        assertEquals(2, store.size(2));

        HintStore none = new HintStore(0);
        assertEquals(HintStore.Added.FULL, none.add(hint(2, "a", 1, 0)));
        assertEquals(0, none.size());
    }

    @Test
    void aHintIsRemovedOnlyForTheVersionItHolds() {
        HintStore store = new HintStore(10);
        Hint newer = hint(2, "a", 9, 0);
        store.add(hint(2, "a", 3, 0));
        store.add(newer);
        assertNull(store.remove(2, Key.of("a"), new Timestamp(3, 1)), "the acknowledged version was replaced since");
        assertNull(store.remove(4, Key.of("a"), new Timestamp(9, 1)), "another peer's");
        assertSame(newer, store.remove(2, Key.of("a"), new Timestamp(9, 1)));
        assertEquals(0, store.size());
        assertEquals(List.of(), List.copyOf(store.peers()));
    }

    @Test
    void oldHintsAreFoundOldestFirstPerPeer() {
        HintStore store = new HintStore(10);
        store.add(hint(2, "a", 1, 100));
        store.add(hint(2, "b", 1, 200));
        store.add(hint(3, "c", 1, 150));
        store.add(hint(2, "d", 1, 300));
        assertEquals(List.of("a", "b", "c"), store.storedAtOrBefore(200).stream().map(h -> h.key().toString()).toList());
        assertEquals(List.of(), store.storedAtOrBefore(99));
        assertEquals(2, store.oldest(2, 2).size());
    }
}
