package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;

import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UnratedReason;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * A replay's usage record as one text value (the {@code record} column of {@link ReplayMemoryTable}) and back,
 * exactly: every field of the event and of the current entry, decimals at their scale, instants to the
 * nanosecond. Each field is {@code ~} for null or {@code <length>:<chars>}, so any text round-trips without
 * escaping; the replay compares the re-derived entries field for field, so nothing may be lost.
 */
final class ReplayRecordText {
    private ReplayRecordText() {
    }

    static String write(UsageRecord r) {
        Writer w = new Writer();
        UsageEvent e = r.event();
        w.text(e.partnerId()).text(e.eventId()).instant(e.time()).text(e.model()).text(e.metric())
                .text(Long.toString(e.quantity())).revenue(e.revenue()).text(e.region())
                .text(r.status().name()).text(r.reason() == null ? null : r.reason().name());
        LedgerEntry c = r.current();
        if (c == null) {
            w.text(null);
            return w.toString();
        }
        w.text("E").text(c.entryId().toString()).text(c.partnerId()).text(Long.toString(c.sequence()))
                .text(string(c.period())).text(c.kind().name()).decimal(c.amount()).text(c.currency())
                .text(c.usageEventId()).text(c.model()).text(c.metric()).text(string(c.quantity()))
                .revenue(c.revenue()).decimal(c.fxRate()).decimal(c.settlementRevenue())
                .text(string(c.agreementVersion())).text(c.ruleId()).text(string(c.reversesEntryId()))
                .text(string(c.originalPeriod())).text(c.memo()).text(c.actor()).instant(c.closedAt())
                .instant(c.eventTime()).instant(c.postedAt()).text(c.paymentId()).text(string(c.receivedOn()))
                .text(c.reference());
        return w.toString();
    }

    static UsageRecord read(String text) {
        Reader in = new Reader(text);
        UsageEvent event = new UsageEvent(in.text(), in.text(), in.instant(), in.text(), in.text(),
                Long.parseLong(in.text()), in.revenue(), in.text());
        UsageRecord.UsageStatus status = UsageRecord.UsageStatus.valueOf(in.text());
        String reason = in.text();
        LedgerEntry current = null;
        if (in.text() != null) {
            current = new LedgerEntry(UUID.fromString(in.text()), in.text(), Long.parseLong(in.text()),
                    yearMonth(in.text()), EntryKind.valueOf(in.text()), in.decimal(), in.text(), in.text(),
                    in.text(), in.text(), longOrNull(in.text()), in.revenue(), in.decimal(), in.decimal(),
                    intOrNull(in.text()), in.text(), uuidOrNull(in.text()), yearMonth(in.text()), in.text(),
                    in.text(), in.instant(), in.instant(), in.instant(), in.text(), dateOrNull(in.text()),
                    in.text());
        }
        return new UsageRecord(event, status, reason == null ? null : UnratedReason.valueOf(reason), current);
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static YearMonth yearMonth(String s) {
        return s == null ? null : YearMonth.parse(s);
    }

    private static Long longOrNull(String s) {
        return s == null ? null : Long.valueOf(s);
    }

    private static Integer intOrNull(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    private static UUID uuidOrNull(String s) {
        return s == null ? null : UUID.fromString(s);
    }

    private static LocalDate dateOrNull(String s) {
        return s == null ? null : LocalDate.parse(s);
    }

    private static final class Writer {
        private final StringBuilder b = new StringBuilder(256);

        Writer text(String s) {
            if (s == null) {
                b.append('~');
            } else {
                b.append(s.length()).append(':').append(s);
            }
            return this;
        }

        /** BigDecimal.toString keeps the unscaled value and the scale (new BigDecimal(String) restores both). */
        Writer decimal(BigDecimal d) {
            return text(d == null ? null : d.toString());
        }

        Writer instant(Instant t) {
            return text(t == null ? null : t.getEpochSecond() + "." + t.getNano());
        }

        Writer revenue(Revenue r) {
            return r == null ? text(null) : text("R").decimal(r.amount()).text(r.currency());
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }

    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        String text() {
            if (s.charAt(at) == '~') {
                at++;
                return null;
            }
            int colon = s.indexOf(':', at);
            int length = Integer.parseInt(s, at, colon, 10);
            at = colon + 1 + length;
            return s.substring(colon + 1, at);
        }

        BigDecimal decimal() {
            String t = text();
            return t == null ? null : new BigDecimal(t);
        }

        Instant instant() {
            String t = text();
            if (t == null) {
                return null;
            }
            int dot = t.indexOf('.');
            return Instant.ofEpochSecond(Long.parseLong(t, 0, dot, 10), Long.parseLong(t, dot + 1, t.length(), 10));
        }

        Revenue revenue() {
            return text() == null ? null : new Revenue(decimal(), text());
        }
    }
}
