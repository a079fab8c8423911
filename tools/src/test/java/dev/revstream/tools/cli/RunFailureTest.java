package dev.revstream.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

/**
 * A live run whose job fails (here as the stage-list guard stops a restore) says why: revstream's own
 * message first, not only an exit code (it printed nothing before).
 */
class RunFailureTest {
    @Test
    void theRootCauseComesFirst() {
        JobResult failed = new JobResult.Builder()
                .jobId(new JobID())
                .netRuntime(10)
                .serializedThrowable(new SerializedThrowable(new JobException(
                        "The failure is not recoverable",
                        new SuppressRestartsException(new IllegalStateException(
                                "deals.stages changed since the state" + " was saved: it was [A, B], now [B, A]")))))
                .build();
        String why = RunCommand.causes(failed);
        assertThat(why)
                .startsWith("deals.stages changed since the state was saved: it was [A, B], now [B, A]")
                .contains("causes, outermost first:")
                .contains("SuppressRestartsException");
    }
}
