package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/** The {@link OpLog} port's contract, run against every implementation (STYLE habit 4). */
abstract class OpLogContractTest {
    abstract OpLog open() throws Exception;

    @Test
    void sequencesStartAtOneAndIncreaseByOne() throws Exception {
        try (OpLog log = open()) {
            for (int i = 1; i <= 50; i++) {
                Op op = i % 5 == 0 ? Op.DELETE : Op.SET;
                assertEquals(i, log.append(op, Key.of("k" + i), new Timestamp(i, 1), op == Op.SET ? new byte[i] : null));
            }
        }
    }

    @Test
    void commitCallbacksRunOnceEachInOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(20);
        try (OpLog log = open()) {
            for (int i = 0; i < 20; i++) {
                log.append(Op.SET, Key.of("k"), new Timestamp(i + 1, 1), new byte[] {(byte) i});
                int n = i;
                log.commit(() -> {
                    synchronized (order) {
                        order.add(n);
                    }
                    all.countDown();
                });
            }
            assertTrue(all.await(10, TimeUnit.SECONDS));
        }
        synchronized (order) {
            for (int i = 0; i < 20; i++) assertEquals(i, order.get(i));
        }
    }

    @Test
    void commitFsyncedCompletes() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (OpLog log = open()) {
            log.append(Op.SET, Key.of("promise"), new Timestamp(1, 1), new byte[] {1});
            log.commitFsynced(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCommitWithNothingAppendedStillCompletes() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (OpLog log = open()) {
            log.commit(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
    }
}
