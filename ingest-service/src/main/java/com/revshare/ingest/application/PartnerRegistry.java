package com.revshare.ingest.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.revshare.ingest.domain.PartnerDirectory;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The latest record per partner from the compacted partners topic, kept in memory. Loaded once the
 * reader has caught up with the end offsets it saw at startup (SPEC §2.4); until then ingest is not
 * ready and accepts nothing.
 */
@ApplicationScoped
public class PartnerRegistry implements PartnerDirectory {
    /** A partner as the ledger publishes it. */
    public record Partner(String partnerId, String name, String currency, String status) {
        public boolean active() {
            return !"INACTIVE".equals(status);
        }
    }

    private final Map<String, Partner> partners = new ConcurrentHashMap<>();
    private final CountDownLatch loaded = new CountDownLatch(1);

    public void put(Partner partner) {
        partners.put(partner.partnerId(), partner);
    }

    public void remove(String partnerId) {
        partners.remove(partnerId);
    }

    public void markLoaded() {
        loaded.countDown();
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** Waits up to {@code millis} for the registry to be loaded. */
    public boolean awaitLoaded(long millis) throws InterruptedException {
        return loaded.await(millis, TimeUnit.MILLISECONDS);
    }

    public int size() {
        return partners.size();
    }

    /** Whether the partner has a record at all (active or not). */
    public boolean isKnown(String partnerId) {
        return partners.containsKey(partnerId);
    }

    @Override
    public boolean isRegistered(String partnerId) {
        Partner p = partners.get(partnerId);
        return p != null && p.active();
    }
}
