package com.revshare.infra;

import java.time.Duration;

/** Bearer tokens signed by the test infrastructure's key pair, which the services under test trust. */
public final class TestTokens {
    private static final Duration TTL = Duration.ofHours(2);

    private TestTokens() {
    }

    public static String admin() {
        return Infrastructure.shared().jwt().admin(TTL);
    }

    public static String finance() {
        return Infrastructure.shared().jwt().finance(TTL);
    }

    public static String partner(String partnerId) {
        return Infrastructure.shared().jwt().partner(partnerId, TTL);
    }
}
