package com.revshare.reporting.domain;

import java.util.regex.Pattern;

/** Partner ids as SPEC §2.1 defines them. */
public final class PartnerIds {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private PartnerIds() {
    }

    public static boolean isValid(String text) {
        return text != null && ID.matcher(text).matches();
    }
}
