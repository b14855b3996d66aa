package com.revshare.reporting.it;

import java.net.URL;

/**
 * URLs of the management interface (SPEC §8 v2: health and metrics on their own port, random in
 * tests). Its port is known only to an injected {@code @TestHTTPResource(management = true)}, so
 * each test class using it passes that URL in {@link #use} before its tests.
 */
public final class OpsUrls {
    private static volatile String base;

    private OpsUrls() {
    }

    /** Remembers the management interface's root URL (from {@code @TestHTTPResource(value = "/", management = true)}). */
    public static void use(URL managementRoot) {
        // the injected URL includes the management root path (/q/): keep scheme, host and port
        base = managementRoot.getProtocol() + "://" + managementRoot.getHost() + ":" + managementRoot.getPort();
    }

    /** {@code path} (e.g. {@code /q/metrics}) on the management port of the application under test. */
    public static String management(String path) {
        if (base == null) {
            throw new IllegalStateException("call OpsUrls.use(...) with the management URL first");
        }
        return base + path;
    }
}
