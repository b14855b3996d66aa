package com.revshare.ingest.application;

import com.revshare.ingest.domain.ControlEvent;

/** A valid control event on its way into the store, with its raw bytes kept for audit. */
public record ControlItem(ControlEvent control, byte[] raw, Channel channel) {
}
