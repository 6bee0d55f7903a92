package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SerialExecutorTest {

    @Test
    void hands_the_pool_thread_back_after_a_batch_and_keeps_the_order() {
        ArrayDeque<Runnable> pool = new ArrayDeque<>();
        SerialExecutor serial = new SerialExecutor(pool::add);
        List<Integer> ran = new ArrayList<>();
        int total = 2 * SerialExecutor.BATCH + 5;
        for (int i = 0; i < total; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        assertThat(pool).as("one drain task for all the work").hasSize(1);

        pool.poll().run();
        assertThat(ran).hasSize(SerialExecutor.BATCH);
        assertThat(pool).as("the rest continues in a fresh pool task").hasSize(1);
        while (!pool.isEmpty()) {
            pool.poll().run();
        }
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
    }

    @Test
    void on_a_direct_executor_tasks_submitted_by_tasks_run_in_order_without_recursing() {
        SerialExecutor serial = new SerialExecutor(Runnable::run);
        List<Integer> ran = new ArrayList<>();
        List<Integer> stackDepths = new ArrayList<>();
        int total = 20 * SerialExecutor.BATCH;
        serial.execute(() -> {
            for (int i = 0; i < total; i++) {
                int n = i;
                serial.execute(() -> {
                    ran.add(n);
                    stackDepths.add(Thread.currentThread().getStackTrace().length);
                });
            }
        });
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        assertThat(stackDepths.get(stackDepths.size() - 1)).as("no deeper after 20 batches")
                .isEqualTo(stackDepths.get(0));
    }

    @Test
    void tasks_from_many_threads_never_overlap_on_a_shared_pool() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            int perThread = 2_000;
            CountDownLatch done = new CountDownLatch(4 * perThread);
            for (int t = 0; t < 4; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        serial.execute(() -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            inside.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
        } finally {
            pool.shutdownNow();
        }
    }
}
