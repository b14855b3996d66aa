package com.revshare.ingest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.PartnerDirectory;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.domain.RecordReader;
import com.revshare.ingest.domain.UsageEventValidator;
import com.revshare.ingest.domain.Validation;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * A fault injected for {@link HandlingFaultTest} (issue 10) in place of the real validator for this test module:
 * it behaves exactly as the real one except for records whose bytes contain a marker — {@code fault-error}
 * throws a StackOverflowError, {@code fault-runtime} an IllegalStateException, and {@code fault-store} passes
 * an event the store's hourly totals cannot take (an amount at scale 9), which throws inside the batch's
 * transaction. No other test sends these markers.
 */
@ApplicationScoped
public class FaultyValidator {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    UsageEventValidator validator(IngestConfig config, RecordReader reader) {
        return new UsageEventValidator(config.recordSizeLimitBytes(), config.futureTolerance(), reader) {
            @Override
            public Validation validate(byte[] raw, PartnerClaim claim, PartnerDirectory partners, Instant now) {
                String text = raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1);
                if (text.contains("fault-error")) {
                    throw new StackOverflowError("injected by FaultyValidator");
                }
                if (text.contains("fault-runtime")) {
                    throw new IllegalStateException("injected by FaultyValidator");
                }
                Validation v = super.validate(raw, claim, partners, now);
                if (text.contains("fault-store") && v instanceof Validation.Valid valid) {
                    UsageEvent e = valid.event();
                    return new Validation.Valid(new UsageEvent(e.partnerId(), e.eventId(), e.source(), e.time(),
                            e.model(), e.metric(), e.quantity(),
                            new UsageEvent.Revenue(new BigDecimal("0.000000001"), "USD"), e.region()));
                }
                return v;
            }
        };
    }
}
