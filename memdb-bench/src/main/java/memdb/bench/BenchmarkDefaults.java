package memdb.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every MemDB microbenchmark shares: the average time of one operation, in nanoseconds, over
 * 3 warm-up and 5 measured iterations of one second in one fork, with state per thread. JMH reads these
 * annotations from the superclass; a benchmark that needs other values annotates itself (the annotation
 * nearest the benchmark method wins), and command-line options (-f, -wi, -i, -r, -tu) win over both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class BenchmarkDefaults {
}
