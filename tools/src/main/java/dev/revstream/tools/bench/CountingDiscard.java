package dev.revstream.tools.bench;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** The ceiling job's end: counts what it was given (an accumulator) and drops it. */
final class CountingDiscard<T> extends ProcessFunction<T, T> {
    private static final long serialVersionUID = 1L;
    static final String RECORDS = "records";
    private transient LongCounter records;

    @Override
    public void open(OpenContext ctx) {
        records = new LongCounter();
        getRuntimeContext().addAccumulator(RECORDS, records);
    }

    @Override
    public void processElement(T value, Context ctx, Collector<T> out) {
        records.add(1);
    }
}
