package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pacer's rule on a fake clock, and a paced compaction: it rests, and writes what an unpaced one writes. */
class PacerTest {
    @TempDir
    Path tmp;

    /** A clock that moves {@code tick} nanoseconds at each reading, and a rest that moves it by the rest. */
    private static final class FakeTime {
        final long tick;
        long now;
        int readings;
        final List<Long> rests = new ArrayList<>();

        FakeTime(long tick) {
            this.tick = tick;
        }

        long read() {
            readings++;
            return now += tick;
        }

        void rest(long nanos) {
            rests.add(nanos);
            now += nanos;
        }
    }

    @Test
    void readsTheClockOncePerCheckAndRestsAfterEachBurstOfWork() {
        FakeTime time = new FakeTime(400_000); // 0.4 ms of work between two checks
        Pacer pacer = new Pacer(1_000_000, 700_000, time::read, time::rest);
        for (int i = 0; i < Pacer.STEPS_PER_CHECK - 1; i++) pacer.step();
        assertEquals(0, time.readings, "no clock reading before a check is due");
        pacer.step(); // first check: the burst starts (reading 1, t = 0.4 ms)
        assertEquals(1, time.readings);
        for (int check = 0; check < 2; check++) for (int i = 0; i < Pacer.STEPS_PER_CHECK; i++) pacer.step();
        assertEquals(List.of(), time.rests, "0.8 ms of work: no rest yet");
        for (int i = 0; i < Pacer.STEPS_PER_CHECK; i++) pacer.step(); // 1.2 ms since the burst began
        assertEquals(List.of(700_000L), time.rests, "one rest of the rest's length once the burst lasted 1 ms");
        assertEquals(1, pacer.rests());
        for (int check = 0; check < 2; check++) for (int i = 0; i < Pacer.STEPS_PER_CHECK; i++) pacer.step();
        assertEquals(1, pacer.rests(), "a new burst begins after the rest: the rest itself is not work");
        for (int i = 0; i < Pacer.STEPS_PER_CHECK; i++) pacer.step();
        assertEquals(2, pacer.rests());
    }

    @Test
    void noneNeverRests() {
        Pacer none = Pacer.none();
        for (int i = 0; i < 100 * Pacer.STEPS_PER_CHECK; i++) none.step();
        assertEquals(0, none.rests());
    }

    @Test
    void refusesAnEmptyBurstOrANegativeRest() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, 1, () -> 0, n -> {}));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(1, -1, () -> 0, n -> {}));
    }

    @Test
    void aPacedCompactionRestsOnReadingAndWritingAndWritesWhatAnUnpacedOneWrites() throws Exception {
        History history = History.random(77, 20_000, 10_000); // ~10,000 keys: both reading and writing take steps
        Path paced = tmp.resolve("paced");
        Path unpaced = tmp.resolve("unpaced");
        Logs.write(paced, history, Logs.keepTombstones());
        Logs.copyDir(paced, unpaced);
        CompactionJob.Settings settings = new CompactionJob.Settings(false, -1, 0, false, false);

        FakeTime time = new FakeTime(2_000_000); // every check finds a burst over: one rest per check after the first
        Pacer pacer = new Pacer(1_000_000, 1, time::read, time::rest);
        LogDirectory.Layout layout = LogDirectory.scan(paced);
        CompactionReport pacedReport = CompactionJob.run(layout, layout.highestGeneration(), paced, settings, pacer);
        LogDirectory.Layout unpacedLayout = LogDirectory.scan(unpaced);
        CompactionReport unpacedReport = CompactionJob.run(unpacedLayout, unpacedLayout.highestGeneration(), unpaced, settings);

        long readChecks = pacedReport.recordsBefore() / Pacer.STEPS_PER_CHECK;
        long checks = (pacedReport.recordsBefore() + pacedReport.recordsAfter()) / Pacer.STEPS_PER_CHECK;
        assertEquals(checks - 1, pacer.rests(), "one step per record read and per record written, one rest per check");
        assertTrue(pacer.rests() > readChecks, "the writing of the snapshot is paced too");
        assertEquals(unpacedReport.recordsAfter(), pacedReport.recordsAfter());
        assertEquals(unpacedReport.bytesAfter(), pacedReport.bytesAfter());
        assertEquals(Logs.replay(unpaced, Logs.keepTombstones()).state(), Logs.replay(paced, Logs.keepTombstones()).state());
    }
}
