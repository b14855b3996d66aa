package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import com.revshare.ingest.application.PartnerRegistry;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 10, no skip path: a record of revshare.partners that cannot be read is kept in the database and
 * counted, never silently dropped, and the reader goes on to the next record.
 */
@QuarkusTest
class UnreadablePartnerRecordTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;
    @Inject
    PartnerRegistry registry;

    @Test
    void anUnreadablePartnerRecordLeavesARowAndACountAndTheReaderGoesOn() throws Exception {
        String key = KafkaTestSupport.uniquePartnerId("garbled");
        double before = IngestTestSupport.count(meters, "revshare.ingest.partner.records.unreadable");
        // given a record the registry cannot read, followed by a good one
        KafkaTestSupport.send("revshare.partners", key, "{\"partnerId\": 42, oops");
        String good = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("after"));
        // then the bad one is kept with its key, value and error, and counted; the good one was read
        await().atMost(WAIT).until(() -> keptValue(key) != null);
        assertEquals("{\"partnerId\": 42, oops", keptValue(key));
        assertTrue(IngestTestSupport.count(meters, "revshare.ingest.partner.records.unreadable") >= before + 1);
        assertTrue(registry.isRegistered(good));
    }

    private String keptValue(String key) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select convert_from(value, 'UTF8') from ingest_unreadable_partner_record "
                                + "where record_key = convert_to(?, 'UTF8')")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
