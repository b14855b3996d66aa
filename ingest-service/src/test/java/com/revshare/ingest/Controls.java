package com.revshare.ingest;

/** Builders of control event JSON for tests (SPEC §2.6). */
final class Controls {
    private Controls() {
    }

    static String control(String partnerId, String id, String from, String to, long eventCount, String quantities,
            String revenue) {
        return """
                {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.control.v1",
                 "time":"%s","partnerid":"%s",
                 "data":{"from":"%s","to":"%s","eventCount":%d,"quantities":%s,"revenue":%s}}"""
                .formatted(id, partnerId, to, partnerId, from, to, eventCount, quantities, revenue);
    }

    /** A usage event at {@code time} with the given metric and quantity, and revenue when {@code currency} is set. */
    static String usage(String partnerId, String id, String time, String metric, long quantity, String amount,
            String currency) {
        String revenue = currency == null ? "" : ",\"revenue\":{\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"}";
        return """
                {"specversion":"1.0","id":"%s","source":"s","type":"revshare.usage.v1","time":"%s","partnerid":"%s",
                 "data":{"model":"m","metric":"%s","quantity":%d%s}}"""
                .formatted(id, time, partnerId, metric, quantity, revenue);
    }
}
