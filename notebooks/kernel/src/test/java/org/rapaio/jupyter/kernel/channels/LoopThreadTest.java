package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopThreadTest {
    @Test
    void theKernelLoadsThisClassAheadOfTheReleasedOne() throws Exception {
        // The kernel jar holds a LoopThread too; this test runs with target/classes first, as the kernelspec does.
        Class<?> loaded = Class.forName("org.rapaio.jupyter.kernel.channels.LoopThread");
        assertSame(LoopThread.class, loaded);
        assertTrue(loaded.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith("classes/"),
                "LoopThread came from " + loaded.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void aThreadThatRunsAtOnceStillLoops() throws Exception {
        // 200 threads: with the flag set after start(), some would exit before their first pass.
        for (int i = 0; i < 200; i++) {
            CountDownLatch passes = new CountDownLatch(2);
            LoopThread thread = new LoopThread("t" + i, 0, passes::countDown);
            thread.start();
            assertTrue(passes.await(5, TimeUnit.SECONDS), "thread " + i + " stopped looping");
            thread.shutdown();
            thread.join(5000);
            assertFalse(thread.isAlive());
        }
    }

    @Test
    void aFailingPassDoesNotEndTheLoop() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch afterFailure = new CountDownLatch(1);
        LoopThread thread = new LoopThread("failing", 1, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new NullPointerException("no handler map yet");
            }
            afterFailure.countDown();
        });
        thread.start();
        assertTrue(afterFailure.await(5, TimeUnit.SECONDS), "the loop ended with its first failing pass");
        thread.shutdown();
        thread.join(5000);
        assertFalse(thread.isAlive());
    }
}
