package com.revshare.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PollLoopTest {
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @Test
    void aWakeEndsAnHourLongPauseAndTheLoopKeepsRunning() throws Exception {
        // given a loop whose body pauses an hour between rounds
        PollLoop loop = new PollLoop("test-wake");
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch secondRound = new CountDownLatch(1);
        CountDownLatch inPause = new CountDownLatch(1);
        loop.start(() -> {
            while (loop.running()) {
                if (rounds.incrementAndGet() == 2) {
                    secondRound.countDown();
                }
                inPause.countDown();
                loop.pause(HOUR_MS);
            }
        });
        inPause.await(30, TimeUnit.SECONDS);

        // when woken
        loop.wake();

        // then the body runs again long before the hour, and the loop is still alive
        assertTrue(secondRound.await(30, TimeUnit.SECONDS), "a wake ends the pause");
        assertTrue(loop.alive());
        loop.stop();
        assertFalse(loop.alive());
    }

    @Test
    void aWakeWhileBusyIsNotLost() {
        // given a wake that comes before the pause starts
        PollLoop loop = new PollLoop("test-pending");
        loop.start(() -> { });
        loop.wake();

        // when the thread pauses an hour, then it returns at once, still running
        CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(() -> loop.pause(HOUR_MS));
        assertTrue(paused.orTimeout(30, TimeUnit.SECONDS).join());
    }

    @Test
    void aStopEndsThePauseJoinsTheThreadAndPauseAnswersFalse() throws Exception {
        // given a body in an hour-long pause
        PollLoop loop = new PollLoop("test-stop");
        CompletableFuture<Boolean> lastPause = new CompletableFuture<>();
        CountDownLatch inPause = new CountDownLatch(1);
        loop.start(() -> {
            inPause.countDown();
            lastPause.complete(loop.pause(HOUR_MS));
        });
        inPause.await(30, TimeUnit.SECONDS);

        // when stopped
        loop.stop();

        // then the pause answered "stopping" and the thread is gone
        assertFalse(lastPause.get(30, TimeUnit.SECONDS));
        assertFalse(loop.running());
        assertFalse(loop.alive());
    }

    @Test
    void aPauseWithoutWakeWaitsItsTime() {
        // given a running loop, when a short pause passes without a wake, then it answers true
        PollLoop loop = new PollLoop("test-time");
        loop.start(() -> { });
        assertTrue(loop.pause(1));
    }
}
