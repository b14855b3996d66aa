package com.revshare.ledger.application;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

/** Entry ids are RFC 9562 version 7 UUIDs, increasing in the order PostgreSQL's uuid index sorts them. */
class EntryIdsTest {

    /** PostgreSQL compares uuid values as 16 unsigned bytes, most significant first. */
    private static int pgCompare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void idsAreVersion7WithTheVariantAndTheCurrentMillisecond() {
        // given the clock before and after
        long before = System.currentTimeMillis();
        // when
        UUID id = EntryIds.next();
        long after = System.currentTimeMillis();
        // then
        assertThat(id.version(), is(7));
        assertThat(id.variant(), is(2));
        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis, greaterThanOrEqualTo(before));
        assertThat(millis, lessThanOrEqualTo(after + 1)); // at most one borrowed millisecond in a single call
    }

    @Test
    void aBurstOfIdsIncreasesInIndexOrder() {
        // given a burst far above 4,096 ids per millisecond (the counter borrows the next millisecond)
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(EntryIds.next());
        }
        // then each id sorts after the one before it: an index on them is appended to at its right edge
        for (int i = 1; i < ids.size(); i++) {
            assertThat("id " + i, pgCompare(ids.get(i), ids.get(i - 1)), greaterThan(0));
        }
    }

    @Test
    void idsFromManyThreadsAreDistinct() throws InterruptedException {
        // given four threads taking ids at once
        ConcurrentLinkedQueue<UUID> all = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    all.add(EntryIds.next());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // then no id was handed out twice
        Set<UUID> distinct = new HashSet<>(all);
        assertThat(distinct.size(), is(200_000));
    }

    @Test
    void theLayoutKeepsTheFieldsApart() {
        // given every bit of the random part set and the largest counter
        UUID id = EntryIds.of(0x0123_4567_89ABL, 0xFFF, -1L);
        // then version, variant and the millisecond are untouched by the other fields
        assertThat(id.version(), is(7));
        assertThat(id.variant(), is(2));
        assertThat(id.getMostSignificantBits() >>> 16, is(0x0123_4567_89ABL));
        assertThat(id.toString(), is("01234567-89ab-7fff-bfff-ffffffffffff"));
    }
}
