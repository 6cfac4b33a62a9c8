package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replaces rapaio-jupyter-kernel 3.0.1's class of this name (same package and API; this class comes first on the
 * kernel's classpath, see notebooks/install-kernel), to fix two start-up races that hang about one kernel start
 * in five with "Kernel didn't respond":
 * <ol>
 *   <li>the released class sets its running flag only after {@code Thread.start()}, so a channel thread that
 *       runs at once sees {@code running == false} and ends before serving anything (a dead heartbeat, shell
 *       or control channel);</li>
 *   <li>the shell channel starts polling before the kernel fills its handler map, so a {@code kernel_info_request}
 *       that arrives in between throws a NullPointerException in the loop body, which ended the thread.</li>
 * </ol>
 * Here the flag is set before the thread starts, and a failing pass of the loop body is logged and the loop
 * goes on: the client repeats {@code kernel_info_request} every second until it gets a reply.
 */
public final class LoopThread extends Thread {
    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running = false;
    private final long sleepMillis;
    private final Runnable loopBody;

    /** A thread that runs {@code loopBody}, then sleeps {@code sleepMillis}, until {@link #shutdown()}. */
    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, getName() + ": one pass failed, the loop goes on", e);
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    public void shutdown() {
        running = false;
    }
}
