package com.revshare.ledger;

import java.net.URL;

/**
 * URLs on the management interface (SPEC §8 v2: health and metrics on their own port, random in
 * tests). The port is known to an injected {@code @TestHTTPResource(value = "/", management = true)}
 * URL, which each test class passes in.
 */
public final class Management {
    private Management() {
    }

    /** {@code path} (e.g. {@code /q/metrics}) on the management port named by {@code root}. */
    public static String url(URL root, String path) {
        return root.getProtocol() + "://" + root.getHost() + ":" + root.getPort() + path;
    }
}
